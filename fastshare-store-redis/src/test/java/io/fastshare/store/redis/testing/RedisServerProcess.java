package io.fastshare.store.redis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} the test starts itself on a free local port, in its own directory, keeping
 * nothing on disk. It can be stopped and started again on the same port, to test an outage.
 */
public final class RedisServerProcess implements AutoCloseable {

    private final Path binary;
    private final Path dir;
    private final int port;
    private final List<String> extraArgs;
    private Process process;

    private RedisServerProcess(Path binary, Path dir, int port, List<String> extraArgs) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /**
     * Starts a server; skips the test when the binary is absent.
     *
     * @param dir a directory for its files (cluster state, log)
     * @param extraArgs more {@code redis-server} options, such as {@code --maxmemory 8mb}
     * @return the running server
     */
    public static RedisServerProcess start(Path dir, String... extraArgs) {
        RedisServerProcess server = new RedisServerProcess(RedisTestSupport.requireRedisServerBinary(), dir, freePort(),
                List.of(extraArgs));
        server.start();
        return server;
    }

    /**
     * Starts the server (again) on its port and waits until it answers.
     */
    public void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Files.createDirectories(dir);
            List<String> command = new ArrayList<>(List.of(binary.toString(), "--port", String.valueOf(port),
                    "--bind", RedisTestSupport.HOST, "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                    "--logfile", dir.resolve("redis.log").toString(), "--daemonize", "no"));
            command.addAll(extraArgs);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!RedisTestSupport.answers(RedisTestSupport.HOST, port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("redis-server on port " + port + " did not start; see " + dir);
            }
            sleep(50);
        }
    }

    /**
     * Kills the server ({@code SIGKILL}) and waits until it is gone; what it held is lost.
     */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Returns the port.
     *
     * @return the port on 127.0.0.1
     */
    public int port() {
        return port;
    }

    /**
     * Returns the server's directory.
     *
     * @return the directory
     */
    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        stop();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
