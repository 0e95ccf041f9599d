package io.fastshare.torture;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Child-JVM entry point that truncates a file with {@code FileChannel.truncate}, as a misbehaving
 * peer process would. Arguments: file path, new size in bytes. Prints {@code TRUNCATED} when done.
 */
public final class TruncatorMain {

    private TruncatorMain() {
    }

    /**
     * Truncates the file.
     *
     * @param args path and size
     * @throws Exception on any failure (the parent sees the exit code)
     */
    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
            channel.truncate(Long.parseLong(args[1]));
        }
        System.out.println("TRUNCATED");
        System.out.flush();
    }
}
