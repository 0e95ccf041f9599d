package io.fastshare.spring.boot.testing;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.WriteOptions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process for the cross-process cleanup tests: writes one 2 MB block without TTL holding
 * {@link #payload()}, prints {@code TOKEN <token>}, then waits on standard input until it is killed.
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
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(Path.of(args[0])).poolSize(0).build()) {
            System.out.println("TOKEN " + template.write(payload(), WriteOptions.defaults().noTtl()));
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
    }

    /**
     * The payload the child writes, so tests can check a surviving block by content.
     *
     * @return 2,000,000 bytes, each depending on its position
     */
    public static byte[] payload() {
        byte[] payload = new byte[2_000_000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 37 + (i >>> 11));
        }
        return payload;
    }
}
