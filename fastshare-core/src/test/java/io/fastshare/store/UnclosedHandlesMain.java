package io.fastshare.store;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;

import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 12, item 6, run in a child JVM: opens 20 blocks of 2 MB, never closes the handles, releases
 * the blocks and drops the handles, then collects garbage until the mappings are gone (at most 30
 * seconds). Prints {@code MAPPINGS <while open> <at the end>}.
 */
public final class UnclosedHandlesMain {

    private UnclosedHandlesMain() {
    }

    /**
     * Runs the leak.
     *
     * @param args block directory
     * @throws InterruptedException when interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Path dir = Path.of(args[0]);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).poolSize(0).build()) {
            List<String> tokens = new ArrayList<>();
            long open = openAndForget(template, tokens);
            for (String token : tokens) {
                template.release(token);
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (ProcMaps.mappingsUnder(dir) > 0 && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(100);
            }
            // Let the cleaner thread finish logging before the summary line.
            Thread.sleep(200);
            System.out.println("MAPPINGS " + open + " " + ProcMaps.mappingsUnder(dir));
        }
    }

    private static long openAndForget(SharedMemoryTemplate template, List<String> tokens) {
        // The handles stay reachable until they are counted (a GC during the loop would otherwise clean
        // some of them early), and are dropped, never closed, when this method returns.
        List<SharedPayload> held = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String token = template.write(new byte[2_000_000]);
            tokens.add(token);
            SharedPayload handle = template.open(token);
            handle.view(0);
            held.add(handle);
        }
        long mappings = ProcMaps.mappingsUnder(template.directory());
        Reference.reachabilityFence(held);
        return mappings;
    }
}
