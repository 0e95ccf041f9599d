package io.fastshare.torture;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.WriteOptions;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Child-JVM writer for the crash loop: writes self-verifying payloads of random sizes to shared
 * memory as fast as it can and prints each token, until the parent kills it with SIGKILL. A commit
 * hook sometimes pauses briefly before the commit marker, widening the window in which a kill leaves
 * a fully written but uncommitted block. Arguments: block directory, seed, largest payload in bytes.
 */
public final class CrashWriterMain {

    private CrashWriterMain() {
    }

    /**
     * Writes until killed.
     *
     * @param args directory, seed, max size
     */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[1]));
        int maxSize = Integer.parseInt(args[2]);
        SplittableRandom hookRandom = random.split();
        SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0).poolSize(0)
                .beforeCommit(name -> {
                    if (hookRandom.nextInt(4) == 0) {
                        LockSupport.parkNanos(hookRandom.nextInt(3_000_000));
                    }
                })
                .build();
        System.out.println("READY " + template.ownerId().toHex());
        System.out.flush();
        while (true) {
            int roll = random.nextInt(100);
            int size = roll < 50 ? random.nextInt(64 * 1024) : roll < 95 ? random.nextInt(1 << 20)
                    : random.nextInt(maxSize);
            long seed = random.nextLong();
            byte[] payload = CheckedPayload.make(size, seed);
            String token = template.write(payload, WriteOptions.defaults().checksum(random.nextBoolean()));
            System.out.println("TOKEN " + token + " " + seed);
            System.out.flush();
        }
    }
}
