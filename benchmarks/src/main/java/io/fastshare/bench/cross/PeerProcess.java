package io.fastshare.bench.cross;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM started by the harness with the harness's own class path (the benchmarks jar and its
 * lib directory). It announces readiness with a line starting with {@code READY}; closing it closes
 * its stdin, on which the peer exits. Not thread-safe.
 */
public final class PeerProcess implements AutoCloseable {

    private final Process process;
    private final String readyLine;

    private PeerProcess(Process process, String readyLine) {
        this.process = process;
        this.readyLine = readyLine;
    }

    /**
     * Starts a peer and waits until it is ready.
     *
     * @param jvmOptions options such as {@code -Xmx4g}
     * @param main the peer's main class
     * @param args its arguments
     * @return the ready peer
     * @throws IllegalStateException when it exits or prints no READY line within two minutes
     */
    public static PeerProcess start(List<String> jvmOptions, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + main.getName(), e);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("READY")) {
                    Thread drain = new Thread(() -> drain(out), "peer-stdout");
                    drain.setDaemon(true);
                    drain.start();
                    return new PeerProcess(process, line);
                }
                if (System.nanoTime() > deadline) {
                    break;
                }
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException("peer " + main.getName() + " failed to start", e);
        }
        process.destroyForcibly();
        throw new IllegalStateException("peer " + main.getName() + " did not become ready");
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                Thread.onSpinWait();
            }
        } catch (IOException ignored) {
            // peer gone
        }
    }

    /**
     * Returns the READY line, which carries the peer's addresses.
     *
     * @return the line
     */
    public String readyLine() {
        return readyLine;
    }

    /** Closes the peer's stdin so it exits; kills it if it has not after ten seconds. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
