package io.fastshare.crossprocess;

import io.fastshare.BlockNotFoundException;
import io.fastshare.SharedMemoryTemplate;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Child process for claim-once races: prints {@code READY}, then for every {@code TAKE <token>} line on
 * standard input takes the token as a {@code long[]} and prints {@code RESULT WON <hash>},
 * {@code RESULT LOST} (the block was not found) or {@code RESULT ERROR <exception>}. Ends on end of input.
 */
public final class TakerMain {

    private TakerMain() {
    }

    /**
     * Entry point.
     *
     * @param args the block directory
     * @throws Exception when standard input fails
     */
    public static void main(String[] args) throws Exception {
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(Path.of(args[0])).build();
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("READY");
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("TAKE ")) {
                    continue;
                }
                String token = line.substring("TAKE ".length());
                try {
                    long[] value = template.take(token, long[].class);
                    System.out.println("RESULT WON " + Arrays.hashCode(value));
                } catch (BlockNotFoundException e) {
                    System.out.println("RESULT LOST");
                } catch (RuntimeException e) {
                    System.out.println("RESULT ERROR " + e);
                }
            }
        }
        System.exit(0);
    }
}
