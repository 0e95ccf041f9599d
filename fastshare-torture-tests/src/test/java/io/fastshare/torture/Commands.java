package io.fastshare.torture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs system commands (mount, useradd, runuser, truncate...) with a time bound, capturing their
 * output.
 *
 * <p>Stateless and thread-safe.
 */
final class Commands {

    private Commands() {
    }

    /**
     * What a command did.
     *
     * @param exitCode exit code, -1 when it timed out or could not start
     * @param output standard output and error together
     */
    record Result(int exitCode, String output) {

        boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * Runs a command.
     *
     * @param timeout how long to wait before killing it
     * @param command program and arguments
     * @return the result; never throws for a failing command
     */
    static Result run(Duration timeout, String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out after " + timeout + ": " + String.join(" ", command));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.exitValue(), output.trim());
        } catch (IOException e) {
            return new Result(-1, "cannot run " + String.join(" ", command) + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }

    /**
     * Runs a command with a 60-second bound.
     *
     * @param command program and arguments
     * @return the result
     */
    static Result run(String... command) {
        return run(Duration.ofSeconds(60), command);
    }

    /**
     * Tells whether this JVM runs as root.
     *
     * @return true for uid 0
     */
    static boolean isRoot() {
        Result id = run("id", "-u");
        return id.ok() && id.output().equals("0");
    }
}
