package io.fastshare.store;

import io.fastshare.AllocationException;
import io.fastshare.Fallback;
import io.fastshare.SharedMemoryTemplate;

import java.nio.file.Path;

/**
 * Child JVM of {@code MemoryCgroupEndToEndTest}, started inside a memory cgroup of its own: writes
 * 16 MiB blocks without releasing them until fastshare refuses one. Prints {@code HEADROOM <bytes>},
 * then {@code REFUSED <blocks written> <message>}; without the check the kernel kills it instead.
 */
public final class CgroupWriterMain {

    private CgroupWriterMain() {
    }

    /**
     * Writes until refused.
     *
     * @param args block directory
     */
    public static void main(String[] args) {
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(Path.of(args[0])).threshold(0)
                .fallback(Fallback.FAIL).build()) {
            System.out.println("HEADROOM " + template.memoryHeadroom().map(h -> h.headroomBytes()).orElse(-1L));
            byte[] block = new byte[16 << 20];
            int written = 0;
            try {
                while (written < 10_000) {
                    template.write(block);
                    written++;
                }
                System.out.println("NEVER_REFUSED " + written);
            } catch (AllocationException e) {
                System.out.println("REFUSED " + written + " " + e.getMessage());
            }
        }
    }
}
