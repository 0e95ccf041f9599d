package io.fastshare.torture;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one library call on a worker thread and waits a bounded time for it, so a hang (a FIFO opened
 * for reading, an endless loop on bad input) shows up as a failed outcome instead of a stuck build.
 * A call that hangs leaves its thread behind; the runner replaces it with a fresh one.
 *
 * <p>Not thread-safe: one runner per test thread.
 */
final class BoundedRunner implements AutoCloseable {

    private final Duration timeout;
    private ExecutorService executor = newExecutor();

    BoundedRunner(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Runs a call and reports what came out.
     *
     * @param call the call
     * @return its outcome: a value, a throwable, or a timeout
     */
    Outcome run(Callable<?> call) {
        Future<?> future = executor.submit(call);
        try {
            return Outcome.value(future.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            return Outcome.thrown(e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            executor.shutdownNow();
            executor = newExecutor();
            return Outcome.hung(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static ExecutorService newExecutor() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "torture-bounded-call");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /**
     * What one call produced.
     *
     * @param value the return value, when it returned
     * @param error the throwable, when it threw
     * @param hung whether it did not finish in time
     */
    record Outcome(Object value, Throwable error, boolean hung) {

        static Outcome value(Object value) {
            return new Outcome(value, null, false);
        }

        static Outcome thrown(Throwable error) {
            return new Outcome(null, error, false);
        }

        static Outcome hung(Duration timeout) {
            return new Outcome(null, null, true);
        }

        boolean returned() {
            return error == null && !hung;
        }
    }
}
