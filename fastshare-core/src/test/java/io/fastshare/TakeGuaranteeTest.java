package io.fastshare;

import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.type.TypeReference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 12 item 4: a {@code take} or {@code read} that fails must not lose the payload. Everything that
 * can be checked (type, header, checksum, full decode) comes before the claim; an interruption is an
 * {@link InterruptedFastShareException} with the interrupt flag kept, never "corrupt".
 */
class TakeGuaranteeTest {

    private static final int MIB_32 = 32 << 20;

    @TempDir
    Path tmp;

    Path dir;
    SharedMemoryTemplate template;

    @BeforeEach
    void setUp() {
        dir = TestDirs.blockDir(tmp);
        template = SharedMemoryTemplate.builder().directory(dir).threshold(0)
                .poolSize(0) // interruptible positional reads of block files
                .build();
    }

    @AfterEach
    void tearDown() {
        Thread.interrupted();
        template.close();
        TestDirs.assertNoBlocks(dir);
    }

    @Test
    void takeAsTheWrongTypeFailsAndKeepsTheBlock() {
        float[] payload = floats(1 << 20, 1);
        String token = template.write(payload);

        assertThatThrownBy(() -> template.take(token, int[].class)).isInstanceOf(CodecException.class);

        assertThat(template.block(token)).as("the block is still there after the failed take").isPresent();
        assertThat(template.take(token, float[].class)).isEqualTo(payload);
        assertThat(template.block(token)).isEmpty();
    }

    @Test
    void takeOfAGenericTypeFailsBeforeTheClaimWhenTheTypeDoesNotFit() {
        List<String> payload = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            payload.add("entry " + i);
        }
        String token = template.write(payload);

        assertThatThrownBy(() -> template.take(token, new TypeReference<List<Map<String, Integer>>>() { }))
                .isInstanceOf(CodecException.class);
        assertThat(template.take(token, new TypeReference<List<String>>() { })).isEqualTo(payload);
        assertThatThrownBy(() -> template.take(token, (java.lang.reflect.Type) List.class))
                .isInstanceOf(BlockNotFoundException.class);
    }

    @Test
    void takeOnAnInterruptedThreadIsAnInterruptionAndKeepsTheBlock() {
        float[] payload = floats(MIB_32 / 4, 2);
        String token = template.write(payload);

        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> template.take(token, float[].class))
                .isInstanceOf(InterruptedFastShareException.class)
                .isNotInstanceOf(CorruptBlockException.class);
        assertThat(Thread.interrupted()).as("interrupt flag kept").isTrue();

        assertThat(template.take(token, float[].class)).isEqualTo(payload);
    }

    @Test
    void readOnAnInterruptedThreadDoesNotCallAnIntactBlockCorrupt() {
        byte[] payload = new byte[4 << 20];
        ThreadLocalRandom.current().nextBytes(payload);
        String token = template.write(payload, WriteOptions.defaults().checksum(true));

        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> template.read(token, byte[].class)).isInstanceOf(InterruptedFastShareException.class);
        assertThat(Thread.interrupted()).as("interrupt flag kept").isTrue();

        assertThat(template.read(token, byte[].class)).isEqualTo(payload);
        assertThat(template.release(token)).isTrue();
    }

    @Test
    void valueOfAnOpenedPayloadOnAnInterruptedThreadIsAnInterruption() {
        float[] payload = floats(1 << 20, 3);
        String token = template.write(payload);

        try (SharedPayload opened = template.open(token)) {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> opened.value(float[].class)).isInstanceOf(InterruptedFastShareException.class);
            assertThat(Thread.interrupted()).as("interrupt flag kept").isTrue();
        }
        try (SharedPayload again = template.open(token)) {
            assertThat(again.value(float[].class)).isEqualTo(payload);
        }
        assertThat(template.release(token)).isTrue();
    }

    @Test
    void writeOnAnInterruptedThreadIsAnInterruptionNotAnInlineFallback() {
        byte[] payload = new byte[4 << 20];

        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> template.write(payload)).isInstanceOf(InterruptedFastShareException.class);
        assertThat(Thread.interrupted()).as("interrupt flag kept").isTrue();
        assertThat(template.ownedBlockCount()).isZero();
    }

    /** The case: 40 takes of 32 MiB, each interrupted at a random moment; no payload may be lost. */
    @Test
    void interruptedTakesOf32MiBLoseNothing() throws Exception {
        Map<String, Integer> outcomes = new HashMap<>();
        for (int round = 0; round < 40; round++) {
            float[] payload = floats(MIB_32 / 4, round);
            String token = template.write(payload);
            AtomicReference<Object> result = new AtomicReference<>();
            Thread taker = new Thread(() -> {
                try {
                    result.set(template.take(token, float[].class));
                } catch (RuntimeException e) {
                    result.set(e);
                }
            });
            taker.start();
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(20_000_000));
            taker.interrupt();
            taker.join();

            Object outcome = result.get();
            if (outcome instanceof float[] taken) {
                assertThat(taken).isEqualTo(payload);
                assertThat(template.block(token)).isEmpty();
                outcomes.merge("taken", 1, Integer::sum);
            } else {
                assertThat(outcome).as("round %d", round).isInstanceOf(InterruptedFastShareException.class);
                assertThat(template.take(token, float[].class)).as("retry of round %d", round).isEqualTo(payload);
                outcomes.merge("interrupted, then taken", 1, Integer::sum);
            }
        }
        System.out.println("interrupted takes of 32 MiB: " + outcomes);
    }

    /**
     * Claim-once across processes with the check-first order: two JVMs take the same 24 tokens at once,
     * one of them interrupting its own takes at random moments and retrying; every payload is taken
     * exactly once, verified, and none is lost.
     */
    @Test
    void twoProcessesTakeEveryTokenExactlyOnceDespiteInterruptions() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            tokens.add(template.write(floats(1 << 20, 1000 + i)));
        }
        Path list = tmp.resolve("tokens.txt");
        Files.write(list, tokens);
        try (ChildJvm calm = ChildJvm.start(List.of("-Xmx256m"), InterruptingTakerMain.class, dir.toString(), list.toString(),
                "calm");
                ChildJvm nervous = ChildJvm.start(List.of("-Xmx256m"), InterruptingTakerMain.class, dir.toString(),
                        list.toString(), "interrupting")) {
            calm.awaitLine("READY", Duration.ofMinutes(1));
            nervous.awaitLine("READY", Duration.ofMinutes(1));
            calm.send("GO");
            nervous.send("GO");
            String calmResult = calm.awaitLine("DONE ", Duration.ofMinutes(3));
            String nervousResult = nervous.awaitLine("DONE ", Duration.ofMinutes(3));
            assertThat(calm.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(nervous.awaitExit(Duration.ofSeconds(30))).isZero();

            String calmTaken = calmResult.split(" ")[0];
            String nervousTaken = nervousResult.split(" ")[0];
            for (int i = 0; i < tokens.size(); i++) {
                boolean byCalm = calmTaken.charAt(i) == 'T';
                boolean byNervous = nervousTaken.charAt(i) == 'T';
                assertThat(byCalm ^ byNervous).as("token %d taken by exactly one process: %s / %s", i, calmResult,
                        nervousResult).isTrue();
            }
            System.out.println("cross-process takes: calm " + calmResult + ", interrupting " + nervousResult);
        }
        for (String token : tokens) {
            assertThat(template.block(token)).isEmpty();
        }
    }

    static float[] floats(int count, long seed) {
        float[] values = new float[count];
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble();
        }
        return values;
    }
}
