package io.fastshare.cleanup;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.WriteOptions;
import io.fastshare.store.BlockDirectory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/**
 * Child JVM for the janitor's cross-process tests. Modes:
 * <ul>
 *   <li>{@code write DIR COUNT SIZE}: writes COUNT shared blocks (the first without TTL), prints
 *       {@code TOKEN t} for each, then {@code READY}, and waits for a line on stdin to close and exit;</li>
 *   <li>{@code pause DIR SIZE}: writes one block and stops in the before-commit hook after printing
 *       {@code PAUSED name}, for ever (until killed);</li>
 *   <li>{@code scan DIR}: prints {@code BLOCK name state} for each block and exits;</li>
 *   <li>{@code clean DIR GRACE_MS}: prints {@code WAITING}, waits for a line on stdin, runs one cleanup and
 *       prints {@code CLEANED n}, {@code FAILED n} and {@code DONE}.</li>
 * </ul>
 */
public final class CleanupChild {

    private CleanupChild() {
    }

    /**
     * Runs a mode.
     *
     * @param args mode and its arguments
     * @throws Exception on any failure (the test sees the exit code and stderr)
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        switch (args[0]) {
            case "write" -> write(dir, Integer.parseInt(args[2]), Integer.parseInt(args[3]), in);
            case "pause" -> pause(dir, Integer.parseInt(args[2]));
            case "scan" -> {
                Janitor janitor = new Janitor(BlockDirectory.existing(dir), null, Clock.systemUTC());
                for (BlockInfo block : janitor.scan()) {
                    System.out.println("BLOCK " + block.name() + " " + block.state());
                }
                System.out.println("DONE");
            }
            case "clean" -> {
                Janitor janitor = new Janitor(BlockDirectory.existing(dir), null, Clock.systemUTC());
                // Warm up the code paths so both janitors really overlap once they are told to go.
                janitor.cleanup(CleanupOptions.defaults().withDryRun(true));
                System.out.println("WAITING");
                in.readLine();
                CleanupResult result = janitor.cleanup(
                        CleanupOptions.defaults().withGrace(Duration.ofMillis(Long.parseLong(args[2]))));
                System.out.println("CLEANED " + result.cleaned().size());
                System.out.println("FAILED " + result.failed().size() + " " + result.failed());
                System.out.println("SKIPPED " + result.skipped().size());
                System.out.println("DONE");
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.flush();
    }

    private static void write(Path dir, int count, int size, BufferedReader in) throws Exception {
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).poolSize(0).build()) {
            for (int i = 0; i < count; i++) {
                byte[] payload = new byte[size];
                Arrays.fill(payload, (byte) i);
                WriteOptions options = WriteOptions.defaults().shared();
                System.out.println("TOKEN " + template.write(payload, i == 0 ? options.noTtl() : options));
            }
            System.out.println("READY");
            System.out.flush();
            in.readLine();
        }
    }

    private static void pause(Path dir, int size) throws Exception {
        SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).poolSize(0).beforeCommit(name -> {
            System.out.println("PAUSED " + name.value());
            System.out.flush();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).build();
        template.write(new byte[size], WriteOptions.defaults().shared());
    }
}
