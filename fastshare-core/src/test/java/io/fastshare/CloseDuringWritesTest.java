package io.fastshare;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 10: {@code close()} while writes are in flight must leave no block file behind
 * (with release on close); writes either finish before the close releases them, or fail cleanly.
 */
class CloseDuringWritesTest {

    @TempDir
    Path tmp;

    /** The experiment: 50 rounds of writers racing a close; before the fix 11 of 50 left files. */
    @Test
    void closeDuringWritesLeavesNothing() throws Exception {
        AtomicInteger closedWrites = new AtomicInteger();
        AtomicInteger okWrites = new AtomicInteger();
        for (int round = 0; round < 50; round++) {
            Path dir = TestDirs.blockDir(tmp.resolve("r" + round));
            SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0).build();
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            CountDownLatch started = new CountDownLatch(3);
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                Thread writer = new Thread(() -> {
                    byte[] payload = new byte[64 << 10];
                    started.countDown();
                    while (true) {
                        try {
                            template.write(payload);
                            okWrites.incrementAndGet();
                        } catch (TemplateClosedException e) {
                            closedWrites.incrementAndGet();
                            return;
                        } catch (Throwable e) {
                            unexpected.set(e);
                            return;
                        }
                    }
                });
                writers.add(writer);
                writer.start();
            }
            started.await();
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(2_000_000));
            template.close();
            for (Thread writer : writers) {
                writer.join();
            }
            assertThat(unexpected.get()).as("round %d", round).isNull();
            TestDirs.assertNoBlocks(dir);
        }
        System.out.println("close during writes: " + okWrites + " writes done, " + closedWrites + " refused or failed");
    }

    /** A write held in flight while close() runs: close waits, the write fails cleanly, nothing stays. */
    @Test
    void writeInFlightDuringCloseFailsCleanlyAndLeavesNothing() throws Exception {
        Path dir = TestDirs.blockDir(tmp);
        Object outcome = closeWhileAWriteIsHeld(SharedMemoryTemplate.builder().directory(dir).poolSize(0),
                new byte[1 << 20]);

        assertThat(outcome).isInstanceOf(TemplateClosedException.class);
        TestDirs.assertNoBlocks(dir);
    }

    /** Without release on close, a write close waited for stands: its token reads after the close. */
    @Test
    void withoutReleaseOnCloseAWriteInFlightCompletes() {
        Path dir = TestDirs.blockDir(tmp);
        byte[] payload = new byte[1 << 20];
        payload[12345] = 7;
        Object outcome = closeWhileAWriteIsHeld(SharedMemoryTemplate.builder().directory(dir).poolSize(0).releaseOnClose(false),
                payload);

        assertThat(outcome).isInstanceOf(String.class);
        try (SharedMemoryTemplate reader = SharedMemoryTemplate.builder().directory(dir).build()) {
            assertThat(reader.take((String) outcome, byte[].class)).isEqualTo(payload);
        }
        TestDirs.assertNoBlocks(dir);
    }

    /**
     * Holds a write just before its commit, closes the template from another thread, lets the write go
     * on once close() waits for it, and returns what the write returned (a token) or threw.
     */
    private static Object closeWhileAWriteIsHeld(SharedMemoryTemplate.Builder builder, byte[] payload) {
        CountDownLatch inWrite = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        SharedMemoryTemplate template = builder.threshold(0).beforeCommit(name -> {
            inWrite.countDown();
            awaitQuietly(proceed);
        }).build();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                outcome.set(template.write(payload));
            } catch (RuntimeException e) {
                outcome.set(e);
            }
        });
        writer.start();
        awaitQuietly(inWrite);
        Thread closer = new Thread(template::close);
        closer.start();
        // close() is waiting for the write once its thread parks in the timed wait.
        while (closer.getState() != Thread.State.TIMED_WAITING && closer.isAlive()) {
            Thread.onSpinWait();
        }
        proceed.countDown();
        try {
            writer.join();
            closer.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return outcome.get();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
