package io.fastshare.torture;

import io.fastshare.BlockLoan;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.WriteOptions;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;

/**
 * Child-JVM writer for the pooled crash loop: writes self-verifying payloads of several size classes
 * into its pool as fast as it can, some through loans filled in place (and some loans given back
 * unpublished), releases older blocks so slots are reused, and prints each token with the payload's
 * seed, until the parent kills it with SIGKILL. Arguments: block directory, seed, pool size in bytes.
 */
public final class PoolCrashWriterMain {

    private PoolCrashWriterMain() {
    }

    /**
     * Writes until killed.
     *
     * @param args directory, seed, pool size
     */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[1]));
        SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0)
                .poolSize(Long.parseLong(args[2])).build();
        System.out.println("READY " + template.ownerId().toHex());
        System.out.flush();
        Deque<String> mine = new ArrayDeque<>();
        while (true) {
            int roll = random.nextInt(100);
            int size = roll < 50 ? random.nextInt(60_000) : roll < 90 ? random.nextInt(1 << 20) : random.nextInt(3 << 20);
            long seed = random.nextLong();
            byte[] payload = CheckedPayload.make(size, seed);
            String token;
            if (random.nextInt(4) == 0) {
                try (BlockLoan loan = template.loan(payload.length)) {
                    loan.buffer().put(0, payload);
                    if (random.nextInt(5) == 0) {
                        continue; // given back unpublished by close
                    }
                    token = loan.publish();
                }
            } else {
                token = template.write(payload, WriteOptions.defaults().checksum(random.nextBoolean()));
            }
            System.out.println("TOKEN " + token + " " + seed);
            System.out.flush();
            mine.add(token);
            if (mine.size() > 12) {
                template.release(mine.poll());
            }
        }
    }
}
