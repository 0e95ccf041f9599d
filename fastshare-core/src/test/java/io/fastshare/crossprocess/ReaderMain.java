package io.fastshare.crossprocess;

import io.fastshare.Payloads;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;

import java.nio.file.Path;

/**
 * Child process: reads each {@code kind:bytes:seed:token} argument with {@code read} and {@code open},
 * verifies the content against the deterministic payload, and prints {@code OK <token>} or exits 1.
 */
public final class ReaderMain {

    private ReaderMain() {
    }

    /**
     * Entry point.
     *
     * @param args block directory, then {@code kind:bytes:seed:token} specs
     */
    public static void main(String[] args) {
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(Path.of(args[0])).build()) {
            for (int i = 1; i < args.length; i++) {
                String[] spec = args[i].split(":", 4);
                Object expected = Payloads.make(spec[0], Integer.parseInt(spec[1]), Long.parseLong(spec[2]));
                Payloads.assertSame(spec[0], expected, template.read(spec[3], Payloads.type(spec[0])));
                try (SharedPayload opened = template.open(spec[3])) {
                    Payloads.assertSame(spec[0], expected, opened.value(Payloads.type(spec[0])));
                }
                System.out.println("OK " + spec[3]);
            }
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
