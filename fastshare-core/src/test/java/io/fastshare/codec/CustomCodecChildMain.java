package io.fastshare.codec;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.WriteOptions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process of {@link CustomCodecCrossProcessTest}: reads the parent's tokens through
 * {@link PointsCodec}, writes its own payload, and exits on {@code done}.
 */
public final class CustomCodecChildMain {

    private CustomCodecChildMain() {
    }

    /**
     * Runs the child.
     *
     * @param args block directory, then tokens to read
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(Path.of(args[0]))
                .codec(new PointsCodec()).build()) {
            for (int i = 1; i < args.length; i++) {
                System.out.println("READ " + template.read(args[i], Points.class).digest());
            }
            System.out.println("TOKEN " + template.write(Points.make("from-child", 300_000),
                    WriteOptions.defaults().shared()));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("done")) {
                // keep the block alive until the parent has read it
            }
        }
    }
}
