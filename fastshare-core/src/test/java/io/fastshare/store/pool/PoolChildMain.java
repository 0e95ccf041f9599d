package io.fastshare.store.pool;

import io.fastshare.BlockNotFoundException;
import io.fastshare.format.OwnerId;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A second process for the pool's cross-process tests, driven by lines on standard input:
 * <pre>
 * OPEN dir key          pin a block           -> PINNED first-byte length | NOTFOUND
 * CLAIM dir key         claim a block         -> CLAIMED first-byte length | NOTFOUND
 * READ dir key          pin, copy, unpin      -> READ first-byte last-byte | NOTFOUND
 * CLOSE                 close all pins        -> CLOSED
 * WRITE dir len value publish(true|false)     -> REF key | WRITING key
 * SWEEP dir graceMs     one janitor sweep    -> SWEPT segments-removed slots-freed
 * EXIT
 * </pre>
 */
public final class PoolChildMain {

    private PoolChildMain() {
    }

    public static void main(String[] args) throws Exception {
        List<PinnedSlot> pins = new ArrayList<>();
        List<BlockPool> pools = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("READY");
        String line;
        while ((line = in.readLine()) != null) {
            String[] parts = line.split(" ");
            switch (parts[0]) {
                case "OPEN", "CLAIM", "READ" -> {
                    PoolReader reader = new PoolReader(Path.of(parts[1]), Clock.systemUTC());
                    SlotRef ref = SlotRef.parse(parts[2]);
                    try {
                        PinnedSlot pinned = parts[0].equals("CLAIM") ? reader.claim(ref) : reader.open(ref);
                        ByteBuffer block = pinned.block();
                        if (parts[0].equals("READ")) {
                            byte[] copy = new byte[block.remaining()];
                            block.get(copy);
                            pinned.close();
                            System.out.println("READ " + copy[0] + " " + copy[copy.length - 1]);
                        } else {
                            pins.add(pinned);
                            System.out.println((parts[0].equals("OPEN") ? "PINNED " : "CLAIMED ") + block.get(0) + " "
                                    + pinned.length());
                        }
                    } catch (BlockNotFoundException e) {
                        System.out.println("NOTFOUND " + e.getMessage());
                    }
                }
                case "CLOSE" -> {
                    pins.forEach(PinnedSlot::close);
                    pins.clear();
                    System.out.println("CLOSED");
                }
                case "WRITE" -> {
                    BlockPool pool = new BlockPool(Path.of(parts[1]), PosixFilePermissions.fromString("rw-------"),
                            OwnerId.random(new SecureRandom()), 1L << 30, Duration.ofMinutes(1), Clock.systemUTC(),
                            new SecureRandom());
                    pools.add(pool);
                    int length = Integer.parseInt(parts[2]);
                    SlotWrite write = pool.allocate(length);
                    ByteBuffer buffer = write.buffer();
                    byte value = Byte.parseByte(parts[3]);
                    for (int i = 0; i < length; i++) {
                        buffer.put(i, value);
                    }
                    if (Boolean.parseBoolean(parts[4])) {
                        System.out.println("REF " + write.publish(length).key());
                    } else {
                        System.out.println("WRITING " + write.ref().key());
                    }
                }
                case "SWEEP" -> {
                    PoolJanitor.Sweep sweep = PoolJanitor.sweep(Path.of(parts[1]), Duration.ofMillis(Long.parseLong(parts[2])),
                            Clock.systemUTC());
                    System.out.println("SWEPT " + sweep.segmentsRemoved() + " " + sweep.slotsFreed());
                }
                case "EXIT" -> {
                    pins.forEach(PinnedSlot::close);
                    pools.forEach(BlockPool::close);
                    return;
                }
                default -> System.out.println("UNKNOWN " + line);
            }
        }
    }
}
