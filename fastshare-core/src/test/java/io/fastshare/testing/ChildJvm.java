package io.fastshare.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM started from a test with the test's own class path, for cross-process tests. Its
 * standard output is collected line by line; standard error goes to the test's output so failures
 * are visible.
 *
 * <pre>{@code
 * try (ChildJvm writer = ChildJvm.start(WriterMain.class, dir.toString())) {
 *     String token = writer.awaitLine("TOKEN ", Duration.ofSeconds(30));
 *     ...
 * }
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread pump;

    private ChildJvm(Process process) {
        this.process = process;
        this.pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    all.add(line);
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "child-jvm-stdout");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts {@code main} in a new JVM with this JVM's class path.
     *
     * @param main class with a {@code main} method
     * @param args its arguments
     * @return the running child
     */
    public static ChildJvm start(Class<?> main, String... args) {
        return start(List.of("-Xmx1g"), main, args);
    }

    /**
     * Starts {@code main} in a new JVM with extra JVM options.
     *
     * @param jvmOptions options such as {@code -Xmx512m}
     * @param main class with a {@code main} method
     * @param args its arguments
     * @return the running child
     */
    public static ChildJvm start(List<String> jvmOptions, Class<?> main, String... args) {
        return start(Path.of(System.getProperty("java.home"), "bin", "java"), jvmOptions, main, args);
    }

    /**
     * Starts {@code main} in a new JVM of another Java installation, for tests that must run on
     * several JDKs from one build.
     *
     * @param java the {@code java} launcher, such as {@code /usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
     * @param jvmOptions options such as {@code -Xmx512m}
     * @param main class with a {@code main} method
     * @param args its arguments
     * @return the running child
     */
    public static ChildJvm start(Path java, List<String> jvmOptions, Class<?> main, String... args) {
        return startWrapped(List.of(), java, jvmOptions, main, args);
    }

    /**
     * Starts {@code main} in a new JVM run through a wrapper command, such as
     * {@code unshare --pid --mount --fork} for a JVM in namespaces of its own.
     *
     * @param wrapper the wrapper command and its options, empty for none
     * @param jvmOptions options such as {@code -Xmx512m}
     * @param main class with a {@code main} method
     * @param args its arguments
     * @return the running child
     */
    public static ChildJvm startWrapped(List<String> wrapper, List<String> jvmOptions, Class<?> main,
            String... args) {
        return startWrapped(wrapper, Path.of(System.getProperty("java.home"), "bin", "java"), jvmOptions, main, args);
    }

    private static ChildJvm startWrapped(List<String> wrapper, Path java, List<String> jvmOptions, Class<?> main,
            String... args) {
        List<String> command = new ArrayList<>(wrapper);
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return new ChildJvm(process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns the {@code java} launchers to run cross-JDK child tests on: this JVM's, and Temurin 25
     * where it is installed (the project's build machines have it) and this JVM is not already 22+.
     *
     * @return one or two launchers
     */
    public static List<Path> javaLaunchers() {
        List<Path> launchers = new ArrayList<>();
        launchers.add(Path.of(System.getProperty("java.home"), "bin", "java"));
        Path jdk25 = Path.of(System.getProperty("jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java");
        if (Runtime.version().feature() < 22 && java.nio.file.Files.isExecutable(jdk25)) {
            launchers.add(jdk25);
        }
        return launchers;
    }

    /**
     * Starts any program (a Python peer, for example) with the same output handling as a child JVM.
     *
     * @param command the program and its arguments
     * @param environment variables added to this process's environment
     * @return the running child
     */
    public static ChildJvm startCommand(List<String> command, java.util.Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        try {
            return new ChildJvm(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Closes the child's standard input (a child reading it to the end then exits).
     */
    public void closeInput() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits for the next output line starting with a prefix and returns the rest of it.
     *
     * @param prefix line prefix, such as {@code "TOKEN "}
     * @param timeout how long to wait
     * @return the line without the prefix
     * @throws AssertionError when the child exits or the time runs out first
     */
    public String awaitLine(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = lines.poll(Math.max(1, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100))),
                        TimeUnit.NANOSECONDS);
                if (line != null && line.startsWith(prefix)) {
                    return line.substring(prefix.length());
                }
                if (line == null && !process.isAlive() && lines.isEmpty()) {
                    throw new AssertionError("child exited with " + process.exitValue() + " before printing '"
                            + prefix + "'; output: " + all);
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no line '" + prefix + "' within " + timeout + "; output: " + all);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Waits for the child to exit.
     *
     * @param timeout how long to wait before killing it
     * @return the exit code
     * @throws AssertionError when it does not exit in time (it is killed)
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("child did not exit within " + timeout + "; output: " + all);
            }
            // The process can exit before the pump has read its last lines: let output() see them all.
            pump.join(TimeUnit.SECONDS.toMillis(10));
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Sends a line to the child's standard input.
     *
     * @param line the line
     */
    public void send(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Kills the child with SIGKILL ({@code kill -9}) and waits for it to die.
     */
    public void kill9() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Returns the child's process id.
     *
     * @return pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * Returns every line printed so far.
     *
     * @return output lines
     */
    public List<String> output() {
        return List.copyOf(all);
    }

    /**
     * Kills the child if it is still running.
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
    }
}
