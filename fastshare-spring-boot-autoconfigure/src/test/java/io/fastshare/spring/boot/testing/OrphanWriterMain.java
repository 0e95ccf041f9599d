package io.fastshare.spring.boot.testing;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.WriteOptions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process for the cross-process cleanup tests: writes one 2 MB block without TTL, prints
 * {@code TOKEN <token>}, then waits on standard input until it is killed.
 */
public final class OrphanWriterMain {

    private OrphanWriterMain() {
    }

    /**
     * Entry point.
     *
     * @param args the block directory
     * @throws Exception on failure (the test sees the exit code)
     */
    public static void main(String[] args) throws Exception {
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(Path.of(args[0])).build()) {
            System.out.println("TOKEN " + template.write(new byte[2_000_000], WriteOptions.defaults().noTtl()));
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
    }
}
