package io.fastshare;

import io.fastshare.codec.json.Embeddings;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reader process of {@link BroadcastTest}: loads the shared embeddings three times, prints their
 * checksum and whether they were deserialised once, waits for {@code CHECK}, then verifies its cached
 * copy again and that a fresh read of the released block fails.
 */
public final class BroadcastReaderMain {

    private BroadcastReaderMain() {
    }

    /**
     * Runs the reader.
     *
     * @param args block directory, token
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(Path.of(args[0])).build()) {
            String token = args[1];
            Embeddings first = template.load(token, Embeddings.class);
            boolean once = template.load(token, Embeddings.class) == first
                    && template.load(token, Embeddings.class) == first;
            System.out.println("LOADED " + first.checksum() + (once ? " once" : " several times"));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("CHECK")) {
                // wait for the writer to release the block
            }
            long again = template.load(token, Embeddings.class).checksum();
            String fresh;
            try {
                template.read(token, Embeddings.class);
                fresh = "still there";
            } catch (BlockNotFoundException e) {
                fresh = "gone";
            }
            System.out.println("AFTER " + again + " " + fresh);
        }
    }
}
