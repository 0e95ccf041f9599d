package io.fastshare.codec;

import io.fastshare.TestDirs;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, item 7: scratch memory is bounded per process, not per thread, and small reads do not
 * need 1 MiB. 1,000 virtual threads (JDK 21+, here Temurin 25 where installed) or 300 platform threads
 * (this JDK) each read a 1 KiB block with {@code -Xmx256m}: per-thread 1 MiB direct buffers threw
 * {@code OutOfMemoryError} and pinned a MiB per thread.
 */
class ScratchMemoryTest {

    /** Pool, fallback chunks and the JDK's per-carrier temporary buffers stay far below this. */
    private static final long DIRECT_BOUND = 32L << 20;

    @TempDir
    Path temp;

    @Test
    void thousandsOfReadersShareABoundedScratchPool() {
        for (Path java : ChildJvm.javaLaunchers()) {
            boolean virtual = !java.equals(Path.of(System.getProperty("java.home"), "bin", "java"))
                    || Runtime.version().feature() >= 21;
            String threads = virtual ? "1000" : "300";
            Path dir = TestDirs.blockDir(temp);
            try (ChildJvm child = ChildJvm.start(java, List.of("-Xmx256m"), ConcurrentReadersMain.class,
                    dir.toString(), threads, virtual ? "virtual" : "platform")) {
                String errors = child.awaitLine("ERRORS ", Duration.ofMinutes(3));
                long direct = Long.parseLong(child.awaitLine("DIRECT ", Duration.ofMinutes(1)));
                assertThat(child.awaitExit(Duration.ofMinutes(1))).isZero();
                assertThat(errors).as(threads + (virtual ? " virtual" : " platform") + " readers on " + java)
                        .startsWith("0 ");
                assertThat(direct).as("direct memory in use with " + threads + " readers alive on " + java)
                        .isLessThan(DIRECT_BOUND);
            }
            TestDirs.assertNoBlocks(dir);
        }
    }

    @Test
    void smallTransfersGetSmallHeapBuffersAndLargeOnesAreBounded() {
        ByteBuffer small = ScratchBuffers.take(1024);
        assertThat(small.isDirect()).isFalse();
        assertThat(small.capacity()).isEqualTo(1024);
        ScratchBuffers.give(small);

        int before = ScratchBuffers.available();
        ByteBuffer large = ScratchBuffers.take(10L << 20);
        assertThat(large.isDirect()).isTrue();
        assertThat(large.capacity()).isEqualTo(ScratchBuffers.SIZE);
        // A nested take on the same thread never waits for the buffer this thread holds.
        ByteBuffer nested = ScratchBuffers.take(10L << 20);
        assertThat(nested.isDirect()).isFalse();
        ScratchBuffers.give(nested);
        ScratchBuffers.give(large);
        assertThat(ScratchBuffers.available()).isEqualTo(before);

        // More takers than the pool holds: the pool never grows, the rest get small heap chunks.
        List<ByteBuffer> held = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < ScratchBuffers.POOL_SIZE + 3; i++) {
            Thread thread = new Thread(() -> {
                ByteBuffer buffer = ScratchBuffers.take(10L << 20);
                synchronized (held) {
                    held.add(buffer);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(held.stream().filter(ByteBuffer::isDirect).count()).isLessThanOrEqualTo(before);
        assertThat(held.stream().filter(b -> !b.isDirect()).allMatch(b -> b.capacity() == ScratchBuffers.SMALL)).isTrue();
        held.forEach(ScratchBuffers::give);
        assertThat(ScratchBuffers.available()).isEqualTo(before);
    }
}
