package io.fastshare.messaging;

import io.fastshare.BlockNotFoundException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.TestDirs;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.cleanup.MutableClock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The transport-independent lifecycle rules of the claim check, on real block directories. */
class ClaimCheckTest {

    @TempDir
    Path tempDir;

    Path blockDir;
    MutableClock clock;
    SharedMemoryTemplate template;

    @BeforeEach
    void setUp() {
        blockDir = TestDirs.blockDir(tempDir);
        clock = MutableClock.atNow();
        template = SharedMemoryTemplate.builder().directory(blockDir).clock(clock).build();
    }

    @AfterEach
    void tearDown() {
        template.close();
        TestDirs.deleteTree(blockDir);
    }

    private ClaimCheck claimCheck(FanOut fanOut, int expected) {
        return new ClaimCheck(template, MessagingOptions.defaults().withFanOut(fanOut, expected)
                .withThreshold(1024L), clock);
    }

    private static Function<String, @Nullable String> headers(Offload offload) {
        Map<String, String> map = new HashMap<>(offload.headers());
        return map::get;
    }

    @Test
    void aSmallPayloadIsNotOffloadedAndALargeOneIsDescribedInHeaders() {
        ClaimCheck check = claimCheck(FanOut.TTL_ONLY, 1);

        assertThat(check.offload(new float[10])).isEmpty();
        Offload offload = check.offload(new float[10_000]).orElseThrow();

        assertThat(offload.token()).startsWith("FSHR:pool:");
        assertThat(offload.headers()).containsEntry(FastShareHeaders.TOKEN, offload.token())
                .containsEntry(FastShareHeaders.PAYLOAD_TYPE, float[].class.getName())
                .containsEntry(FastShareHeaders.EXPECTED_CONSUMERS, "0")
                .containsKeys(FastShareHeaders.DIRECTORY, FastShareHeaders.EXPIRES_AT);
        assertThat(check.resolve(headers(offload), float[].class)).isEqualTo(new float[10_000]);
    }

    @Test
    void ttlOnlyFanOutNeverReleasesOnProcessing() {
        ClaimCheck check = claimCheck(FanOut.TTL_ONLY, 1);
        Offload offload = check.offload(new float[10_000]).orElseThrow();

        check.processed(headers(offload));
        check.processed(headers(offload));

        assertThat(blocks()).hasSize(1);
    }

    @Test
    void lastConsumerFanOutReleasesWhenTheLastExpectedConsumerProcessed() {
        ClaimCheck check = claimCheck(FanOut.LAST_CONSUMER, 3);
        Offload offload = check.offload(new float[10_000]).orElseThrow();

        check.processed(headers(offload));
        check.processed(headers(offload));
        assertThat(blocks()).as("two of three consumers done").hasSize(1);
        assertThat(ledgerFiles()).as("two slots taken").hasSize(2);
        check.processed(headers(offload));

        assertThat(blocks()).as("the third released it").isEmpty();
        assertThat(ledgerFiles()).as("the count's slot files are gone with it").isEmpty();
    }

    @Test
    void insideAScopeTheBlockIsReleasedOnlyWhenTheListenerSucceeded() {
        ClaimCheck check = claimCheck(FanOut.LAST_CONSUMER, 1);
        Offload offload = check.offload(new float[10_000]).orElseThrow();

        try (ReceiveScope failing = ReceiveScope.begin()) {
            check.resolve(headers(offload), float[].class);
            // the listener throws: succeeded() is never called
        }
        assertThat(blocks()).as("kept for the redelivery").hasSize(1);
        try (ReceiveScope succeeding = ReceiveScope.begin()) {
            assertThat((float[]) check.resolve(headers(offload), float[].class)).hasSize(10_000);
            succeeding.succeeded();
        }

        assertThat(blocks()).isEmpty();
    }

    @Test
    void aSharedPayloadResolvedInAScopeIsClosedWithTheScope() {
        ClaimCheck check = claimCheck(FanOut.TTL_ONLY, 1);
        Offload offload = check.offload(new float[10_000]).orElseThrow();
        SharedPayload payload;

        try (ReceiveScope scope = ReceiveScope.begin()) {
            payload = (SharedPayload) check.resolve(headers(offload), SharedPayload.class);
            assertThat(payload.view(0).asFloatBuffer().remaining()).isEqualTo(10_000);
        }

        assertThatThrownBy(() -> payload.view(0)).hasMessageContaining("closed");
    }

    @Test
    void aPayloadPastItsTtlSaysItExpired() {
        ClaimCheck check = claimCheck(FanOut.TTL_ONLY, 1);
        Offload offload = check.offload(new float[10_000]).orElseThrow();

        clock.advance(MessagingOptions.DEFAULT_TTL.plus(Duration.ofSeconds(1)));
        template.cleanup(CleanupOptions.defaults());

        assertThatThrownBy(() -> check.resolve(headers(offload), float[].class))
                .isInstanceOf(BlockNotFoundException.class).hasMessageContaining("expired");
    }

    @Test
    void aPayloadGoneBeforeItsTtlSaysWhoMayHaveReleasedIt() {
        ClaimCheck check = claimCheck(FanOut.TTL_ONLY, 1);
        Offload offload = check.offload(new float[10_000]).orElseThrow();
        template.release(offload.token());

        assertThatThrownBy(() -> check.resolve(headers(offload), float[].class))
                .isInstanceOf(BlockNotFoundException.class).hasMessageContaining("before its TTL")
                .hasMessageNotContaining("expired:");
    }

    @Test
    void aConsumerWithAnotherBlockDirectorySaysSoInWords() throws IOException {
        ClaimCheck producer = claimCheck(FanOut.TTL_ONLY, 1);
        Offload offload = producer.offload(new float[10_000]).orElseThrow();
        Path otherDir = TestDirs.blockDir(Files.createDirectories(tempDir.resolve("other")));
        try (SharedMemoryTemplate other = SharedMemoryTemplate.builder().directory(otherDir).build()) {
            ClaimCheck consumer = new ClaimCheck(other, MessagingOptions.defaults());

            assertThatThrownBy(() -> consumer.resolve(headers(offload), float[].class))
                    .isInstanceOf(ForeignBlockDirectoryException.class)
                    .hasMessageContaining("not this consumer's block directory")
                    .hasMessageContaining(blockDir.toString()).hasMessageContaining(otherDir.toString());
        } finally {
            TestDirs.deleteTree(otherDir);
        }
    }

    @Test
    void aMessageFromAnotherHostSaysSo() {
        ClaimCheck consumer = claimCheck(FanOut.TTL_ONLY, 1);
        Offload offload = consumer.offload(new float[10_000]).orElseThrow();
        Map<String, String> forged = new HashMap<>(offload.headers());
        DirectoryIdentity here = consumer.localDirectory();
        forged.put(FastShareHeaders.DIRECTORY, new DirectoryIdentity("00000000-0000-0000-0000-000000000000",
                here.device(), here.inode(), here.path()).encode());

        assertThatThrownBy(() -> consumer.resolve(forged::get, float[].class))
                .isInstanceOf(ForeignBlockDirectoryException.class).hasMessageContaining("another host");
    }

    @Test
    void aSendScopeReleasesTheBlocksOfAFailedSendOnly() {
        ClaimCheck check = claimCheck(FanOut.TTL_ONLY, 1);
        try (SendScope failed = SendScope.begin()) {
            SendScope.record(check, check.offload(new float[10_000]).orElseThrow().token());
        }
        assertThat(blocks()).isEmpty();
        try (SendScope sent = SendScope.begin()) {
            SendScope.record(check, check.offload(new float[10_000]).orElseThrow().token());
            sent.completed();
        }
        assertThat(blocks()).hasSize(1);
    }

    private List<String> blocks() {
        return list(blockDir);
    }

    private List<String> ledgerFiles() {
        Path ledger = blockDir.resolve(FanOutLedger.DIRECTORY);
        if (!Files.isDirectory(ledger)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(ledger)) {
            return files.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The blocks in a block directory, whichever store holds them: block files and pooled blocks. */
    private static List<String> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return Stream.concat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("FSHR_")),
                    TestDirs.pooledBlocks(dir).stream()).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
