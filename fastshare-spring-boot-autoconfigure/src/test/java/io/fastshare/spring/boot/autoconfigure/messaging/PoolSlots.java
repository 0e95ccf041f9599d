package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.store.pool.BlockPool;
import io.fastshare.store.pool.PoolBlockStore;
import io.fastshare.store.pool.SizeClass;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, from a producer, that a consumer pins none of the producer's pool slots: the kernel lock a
 * reader holds on a slot's pin byte is what stops the owner from reusing the slot, so every slot of the
 * producer's one segment must take a write again.
 */
final class PoolSlots {

    private PoolSlots() {
    }

    /**
     * Returns the size class of a raw {@code float[]} of that many floats (its block adds a preamble of a few
     * hundred bytes).
     *
     * @param floats the payload's length
     * @return the class its block is written to
     */
    static SizeClass classOfFloats(int floats) {
        return SizeClass.forBlock(4L * floats + 4096);
    }

    /**
     * Returns the pool of a template.
     *
     * @param template a template with a pool
     * @return its pool
     */
    static BlockPool poolOf(SharedMemoryTemplate template) {
        return ((PoolBlockStore) template.stores().forKind(PoolBlockStore.KIND).orElseThrow()).pool().orElseThrow();
    }

    /**
     * Tells whether every slot of the producer's one segment takes a write again within the patience: all
     * slots are written at once (each write is a pool hit only in a slot nobody pins), then released. A
     * consumer releases its pin when its request is done, which may be just after the producer got the
     * answer, hence the retries; a pin that is never released fails after the patience.
     *
     * @param template the producer, whose pool holds exactly one segment of the payload's class
     * @param payload the payload the exchanges carried
     * @param slots the slots of that segment
     * @param patience how long to retry
     * @return true when every slot took a write
     * @throws InterruptedException when interrupted while waiting
     */
    static boolean eventuallyEverySlotTakesAWrite(SharedMemoryTemplate template, Object payload, int slots,
            Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            List<String> tokens = new ArrayList<>();
            try {
                for (int i = 0; i < slots; i++) {
                    tokens.add(template.write(payload));
                }
                if (tokens.stream().allMatch(token -> token.startsWith("FSHR:pool:"))) {
                    return true;
                }
            } finally {
                tokens.forEach(template::release);
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
    }
}
