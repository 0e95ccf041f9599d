package io.fastshare.torture;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.cleanup.CleanupOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Child JVM for {@link PoolTrimRaceTest}: a template whose pool gives idle segments back at once
 * (idle timeout 0) is written to and released from one thread while two others run cleanups, so
 * segments are created and given back all the time and trims of the same segment overlap (the pool's
 * own decay trims too). Prints {@code DONE <handoffs> <cleanups>}, unless the JVM dies first.
 * Arguments: block directory, run time in milliseconds.
 */
public final class PoolTrimRaceMain {

    private PoolTrimRaceMain() {
    }

    /**
     * Runs the race.
     *
     * @param args block directory, run time in milliseconds
     * @throws Exception when a thread fails
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long until = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000L;
        AtomicLong handoffs = new AtomicLong();
        AtomicLong cleanups = new AtomicLong();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0)
                .poolSize(8L << 20).poolIdleTimeout(Duration.ZERO).build()) {
            List<Thread> threads = new ArrayList<>();
            threads.add(new Thread(() -> {
                long seed = 0;
                while (System.nanoTime() < until) {
                    String token = template.write(CheckedPayload.make(1000, seed++));
                    template.release(token);
                    handoffs.incrementAndGet();
                }
            }));
            for (int i = 0; i < 2; i++) {
                threads.add(new Thread(() -> {
                    while (System.nanoTime() < until) {
                        template.cleanup(CleanupOptions.defaults());
                        cleanups.incrementAndGet();
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.setUncaughtExceptionHandler((t, e) -> failures.add(e));
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
        }
        failures.forEach(Throwable::printStackTrace);
        System.out.println((failures.isEmpty() ? "DONE " : "FAILED ") + handoffs + " " + cleanups);
    }
}
