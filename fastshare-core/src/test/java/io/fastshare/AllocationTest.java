package io.fastshare;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Quota and inline limits: fallback to inline, or a clean {@link AllocationException}; never a partial file. */
class AllocationTest {

    @TempDir
    Path temp;

    Path dir;
    final List<TransferPath> paths = new ArrayList<>();

    @AfterEach
    void tearDown() {
        TestDirs.assertNoBlocks(dir);
    }

    private SharedMemoryTemplate.Builder builder() {
        dir = dir == null ? TestDirs.blockDir(temp) : dir;
        // Quotas and the fallback of block files: the pool is off (the default pool's own limits are tested below).
        return SharedMemoryTemplate.builder().directory(dir).threshold(1000).poolSize(0).maxInlineSize(100_000)
                .listener(new FastShareListener() {
            @Override
            public void writeCompleted(TransferPath path, long bytes, long nanos) {
                paths.add(path);
            }
        });
    }

    @Test
    void quotaExceededFallsBackToInline() throws IOException {
        try (SharedMemoryTemplate template = builder().maxLiveBytes(100_000).build()) {
            String first = template.write(bytes(60_000));
            String second = template.write(bytes(60_000));
            assertThat(first).startsWith("FSHR:shm:");
            assertThat(second).startsWith("FSHR:inl:");
            assertThat(paths).containsExactly(TransferPath.SHM, TransferPath.FALLBACK);
            assertThat(template.read(second, byte[].class)).isEqualTo(bytes(60_000));
            assertThat(blockFiles()).hasSize(1);

            assertThat(template.release(first)).isTrue();
            assertThat(template.write(bytes(60_000))).startsWith("FSHR:shm:");
        }
    }

    @Test
    void quotaExceededWithFallbackOffFails() throws IOException {
        try (SharedMemoryTemplate template = builder().maxLiveBytes(100_000).fallback(Fallback.FAIL).build()) {
            template.write(bytes(60_000));
            assertThatThrownBy(() -> template.write(bytes(60_000))).isInstanceOf(AllocationException.class)
                    .hasMessageContaining("quota");
            assertThat(blockFiles()).hasSize(1);
        }
    }

    @Test
    void forcedSharedNeverFallsBack() throws IOException {
        try (SharedMemoryTemplate template = builder().maxLiveBytes(10_000).build()) {
            assertThatThrownBy(() -> template.write(bytes(60_000), WriteOptions.defaults().shared()))
                    .isInstanceOf(AllocationException.class);
            assertThat(blockFiles()).isEmpty();
        }
    }

    @Test
    void fallbackOverTheInlineLimitFails() throws IOException {
        try (SharedMemoryTemplate template = builder().maxLiveBytes(10_000).maxInlineSize(50_000).build()) {
            assertThatThrownBy(() -> template.write(bytes(60_000))).isInstanceOf(AllocationException.class)
                    .hasMessageContaining("inline limit");
            assertThat(blockFiles()).isEmpty();
        }
    }

    @Test
    void forcedInlineOverTheLimitFails() {
        try (SharedMemoryTemplate template = builder().maxInlineSize(50_000).build()) {
            assertThatThrownBy(() -> template.write(bytes(60_000), WriteOptions.defaults().inline()))
                    .isInstanceOf(AllocationException.class);
        }
    }

    @Test
    void quotaCountsBlocksTakenByOthersAsFreed() {
        try (SharedMemoryTemplate writer = builder().maxLiveBytes(100_000).fallback(Fallback.FAIL).build();
                SharedMemoryTemplate reader = SharedMemoryTemplate.builder().directory(dir).build()) {
            String token = writer.write(bytes(60_000));
            reader.take(token, byte[].class);
            assertThat(writer.write(bytes(60_000))).startsWith("FSHR:shm:");
        }
    }

    @Test
    void unusableDirectoryFallsBackToInline() throws IOException {
        try (SharedMemoryTemplate template = builder().build()) {
            // A file where the block directory should be: no block can be created there, whoever runs
            // the test (a read-only directory would not stop root).
            Path blocks = template.directory();
            Path aside = blocks.resolveSibling(blocks.getFileName() + ".aside");
            Files.move(blocks, aside);
            Files.writeString(blocks, "not a directory");
            try {
                String token = template.write(bytes(60_000));
                assertThat(token).startsWith("FSHR:inl:");
                assertThat(paths).containsExactly(TransferPath.FALLBACK);
                assertThat(template.read(token, byte[].class)).isEqualTo(bytes(60_000));
            } finally {
                Files.delete(blocks);
                Files.move(aside, blocks);
            }
        }
    }

    @Test
    void closeReleasesOwnedBlocksUnlessDisabled() throws IOException {
        String kept;
        try (SharedMemoryTemplate template = builder().build()) {
            template.write(bytes(60_000));
            template.write(bytes(60_000));
            assertThat(template.ownedBlockCount()).isEqualTo(2);
            assertThat(template.ownedBytes()).isGreaterThanOrEqualTo(120_000);
        }
        assertThat(blockFiles()).isEmpty();
        try (SharedMemoryTemplate template = builder().releaseOnClose(false).build()) {
            kept = template.write(bytes(60_000));
        }
        try (SharedMemoryTemplate template = builder().build()) {
            assertThat(template.read(kept, byte[].class)).isEqualTo(bytes(60_000));
            assertThat(template.release(kept)).isTrue();
        }
    }

    @Test
    void withDefaultSettingsTheLargestFallbackTokenStaysWithin64KiB() throws IOException {
        dir = TestDirs.blockDir(temp);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).build()) {
            int overhead = blockLength(template.write(new byte[1000], WriteOptions.defaults().inline())) - 1000;
            int largest = (int) SharedMemoryTemplate.Builder.DEFAULT_MAX_INLINE_SIZE - overhead;
            withoutSharedMemory(template, () -> {
                String token = template.write(bytes(largest));
                assertThat(token).startsWith("FSHR:inl:");
                assertThat(blockLength(token)).isEqualTo(SharedMemoryTemplate.Builder.DEFAULT_MAX_INLINE_SIZE);
                assertThat(token.length()).isEqualTo(SharedMemoryTemplate.Builder.DEFAULT_MAX_INLINE_TOKEN_LENGTH)
                        .isLessThanOrEqualTo(64 * 1024);
                assertThat(template.read(token, byte[].class)).isEqualTo(bytes(largest));

                assertThatThrownBy(() -> template.write(bytes(largest + 1))).isInstanceOf(AllocationException.class)
                        .hasMessageContaining("pool:").hasMessageContaining("shm:")
                        .hasMessageContaining("inline limit of 48000 bytes");
            });
        }
    }

    @Test
    void defaultReadersAcceptLargerInlineTokensOfOtherProducersUpToTheReadLimit() {
        dir = TestDirs.blockDir(temp);
        // A producer with the Python original's placement: inline up to 1 MB.
        try (SharedMemoryTemplate original = SharedMemoryTemplate.builder().directory(dir).threshold(1_000_000)
                .maxInlineSize(16L << 20).build();
                SharedMemoryTemplate reader = SharedMemoryTemplate.builder().directory(dir).build();
                SharedMemoryTemplate strict = SharedMemoryTemplate.builder().directory(dir).maxInlineReadSize(100_000)
                        .build()) {
            String token = original.write(bytes(900_000));
            assertThat(token).startsWith("FSHR:inl:").hasSizeGreaterThan(1_200_000);
            assertThat(reader.read(token, byte[].class)).isEqualTo(bytes(900_000));
            assertThatThrownBy(() -> strict.read(token, byte[].class)).isInstanceOf(InvalidTokenException.class)
                    .hasMessageContaining("inline limit of 100000 bytes");
            assertThatThrownBy(() -> SharedMemoryTemplate.builder().maxInlineReadSize((1L << 30) + 1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theQuotaCapsThePool() throws IOException {
        dir = TestDirs.blockDir(temp);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).maxLiveBytes(1_000_000)
                .build()) {
            String token = template.write(bytes(60_000));
            assertThat(token).as("a pool segment would exceed the quota").startsWith("FSHR:shm:");
            assertThat(blockFiles()).hasSize(1);
            assertThat(template.take(token, byte[].class)).isEqualTo(bytes(60_000));
        }
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).maxLiveBytes(64L << 20)
                .build()) {
            String token = template.write(bytes(60_000));
            assertThat(token).startsWith("FSHR:pool:");
            assertThat(template.take(token, byte[].class)).isEqualTo(bytes(60_000));
        }
    }

    /** Runs an action while a file stands where the block directory should be: no pool, no block files. */
    private static void withoutSharedMemory(SharedMemoryTemplate template, Runnable action) throws IOException {
        Path blocks = template.directory();
        Path aside = blocks.resolveSibling(blocks.getFileName() + ".aside");
        Files.move(blocks, aside);
        Files.writeString(blocks, "not a directory");
        try {
            action.run();
        } finally {
            Files.delete(blocks);
            Files.move(aside, blocks);
        }
    }

    private static int blockLength(String inlineToken) {
        return java.util.Base64.getUrlDecoder().decode(inlineToken.substring("FSHR:inl:".length())).length;
    }

    /** A payload whose every byte depends on its position, so a read of the wrong bytes shows. */
    private static byte[] bytes(int length) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (i * 31 + (i >>> 8));
        }
        return payload;
    }

    private List<Path> blockFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("FSHR_")).toList();
        }
    }
}
