package io.fastshare.torture;

import io.fastshare.FastShareException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.store.pool.PoolBlockStore;
import io.fastshare.store.pool.PoolLayout;
import io.fastshare.store.pool.PoolReader;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * Child-JVM reader of mutated pool segments: a process that never saw the segments before, so it
 * attaches and validates each one from scratch. Driven by lines on standard input:
 * <pre>
 * CHECK token seed   read(byte[]), open + value(byte[]), take(byte[]) -> RESULT r o t
 * LIST               PoolBlockStore.list of the pool directory         -> LISTED outcome
 * CLEANUP            cleanup with grace 0, then unmap everything       -> CLEANED outcome
 * EXIT
 * </pre>
 * Each outcome is {@code OK} (the payload announced with that seed), {@code FOREIGN} (another intact
 * payload), {@code WRONG} (bytes that are not the payload), {@code FSE:<exception>} or
 * {@code VIOLATION:<throwable>}. Argument: the block directory.
 */
public final class PoolFuzzReaderMain {

    private PoolFuzzReaderMain() {
    }

    /**
     * Serves commands until EXIT or end of input.
     *
     * @param args the block directory
     * @throws Exception when standard input fails
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (SharedMemoryTemplate reader = SharedMemoryTemplate.builder().directory(dir).poolSize(0).build()) {
            System.out.println("READY");
            String line;
            while ((line = in.readLine()) != null) {
                String[] parts = line.split(" ");
                switch (parts[0]) {
                    case "CHECK" -> {
                        String token = parts[1];
                        long seed = Long.parseLong(parts[2]);
                        String read = outcome(() -> payload(reader.read(token, byte[].class), seed));
                        String open = outcome(() -> {
                            try (SharedPayload payload = reader.open(token)) {
                                return payload(payload.value(byte[].class), seed);
                            }
                        });
                        String take = outcome(() -> payload(reader.take(token, byte[].class), seed));
                        System.out.println("RESULT " + read + " " + open + " " + take);
                    }
                    case "LIST" -> System.out.println("LISTED " + outcome(() -> {
                        PoolBlockStore.list(dir.resolve(PoolLayout.DIRECTORY), Instant.now());
                        return "OK";
                    }));
                    case "CLEANUP" -> System.out.println("CLEANED " + outcome(() -> {
                        reader.cleanup(CleanupOptions.defaults().withGrace(Duration.ZERO));
                        PoolReader.trim(Duration.ZERO);
                        return "OK";
                    }));
                    case "EXIT" -> {
                        return;
                    }
                    default -> System.out.println("UNKNOWN " + line);
                }
                System.out.flush();
            }
        }
    }

    private static String payload(byte[] bytes, long seed) {
        if (CheckedPayload.verify(bytes, seed)) {
            return "OK";
        }
        return CheckedPayload.verify(bytes) ? "FOREIGN" : "WRONG";
    }

    private static String outcome(Callable<String> call) {
        try {
            return call.call();
        } catch (FastShareException e) {
            return "FSE:" + e.getClass().getSimpleName();
        } catch (Throwable e) {
            return "VIOLATION:" + e.getClass().getName() + ":" + String.valueOf(e.getMessage()).replace(' ', '_');
        }
    }
}
