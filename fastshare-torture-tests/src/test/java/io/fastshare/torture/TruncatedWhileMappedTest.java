package io.fastshare.torture;

import io.fastshare.CorruptBlockException;
import io.fastshare.FastShareException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import io.fastshare.format.BlockDecoder;
import io.fastshare.format.BlockHeader;
import io.fastshare.format.BlockLayout;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reader has a block open (mapped) when another process truncates the file. Every access through
 * the library ({@code SharedPayload.value()}, the payload reader's array copies, a fresh read) must
 * fail with a {@link FastShareException}, never an {@code InternalError} or a dead JVM.
 *
 * <p>Raw views handed to user code ({@code view(i)}, {@code value(ByteBuffer.class)} of an opened
 * handle) cannot be protected on JDK 17: a SIGBUS there surfaces as an asynchronous
 * {@code InternalError} wherever the user's code happens to be. This test does not touch such views;
 * docs/reliability.md documents the limit.
 */
class TruncatedWhileMappedTest {

    @TempDir
    Path tempDir;

    @ParameterizedTest(name = "{0} truncated to {1} bytes by {2}")
    @CsvSource({
        "byte[], 0, truncate",
        "byte[], 4096, truncate",
        "float[], 0, truncate",
        "long[], 1048576, truncate",
        "multi, 0, truncate",
        "byte[], 0, child-jvm",
        "multi, 330, child-jvm",
        "multi, 8192, truncate",
    })
    void accessThroughTheLibraryAfterATruncationFailsCleanly(String kind, long size, String truncator) {
        Path dir = TestDirs.blockDir(tempDir);
        SplittableRandom random = new SplittableRandom(TortureSettings.seedFor("truncated-while-mapped"));
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0).poolSize(0)
                .codec(new MultiBufferCodec()).build()) {
            Object payload = switch (kind) {
                case "byte[]" -> CheckedPayload.make(8 << 20, random.nextLong());
                case "float[]" -> new float[2 << 20];
                case "long[]" -> new long[1 << 20];
                default -> BaseBlocks.multi(random);
            };
            String token = template.write(payload, WriteOptions.defaults().shared().checksum(true));
            Path file = dir.resolve(token.substring("FSHR:shm:".length()));
            BlockHeader header = headerOf(file);
            try (SharedPayload opened = template.open(token)) {
                if (truncator.equals("truncate")) {
                    Commands.Result result = Commands.run("truncate", "-s", Long.toString(size), file.toString());
                    assertThat(result.ok()).as("truncate: %s", result).isTrue();
                } else {
                    try (ChildJvm child = ChildJvm.start(List.of("-Xmx64m"), TruncatorMain.class, file.toString(),
                            Long.toString(size))) {
                        child.awaitLine("TRUNCATED", Duration.ofSeconds(60));
                        assertThat(child.awaitExit(Duration.ofSeconds(60))).isZero();
                    }
                }
                // Reads fail exactly when a byte of some buffer, or of the codec metadata (which a file block keeps in
                // the file until a codec asks for it), lies past the cut (a cut beyond the end extends the file).
                boolean lost = opened.buffers().stream().anyMatch(b -> b.length() > 0 && b.offset() + b.length() > size)
                        || header.metadataLength() > 0 && header.metadataOffset() + header.metadataLength() > size;
                Class<?> typed = kind.equals("multi") ? MultiBufferCodec.Multi.class : byte[].class;
                for (Class<?> type : List.of(Object.class, typed)) {
                    Throwable error = catchAll(() -> opened.value(type));
                    if (lost) {
                        assertThat(error).as("value(%s) after truncation", type.getSimpleName())
                                .isInstanceOf(CorruptBlockException.class);
                    } else {
                        assertThat(error).as("value(%s) with every buffer intact", type.getSimpleName()).isNull();
                    }
                }
                Throwable fresh = catchAll(() -> template.read(token));
                Throwable reopened = catchAll(() -> template.open(token).close());
                if (file.toFile().length() != opened.size()) {
                    assertThat(fresh).isInstanceOf(CorruptBlockException.class);
                    assertThat(reopened).isInstanceOf(CorruptBlockException.class);
                }
            }
            template.release(token);
            System.out.println("TORTURE truncated-while-mapped: " + kind + " block truncated to " + size + " bytes by "
                    + truncator + " while open: every library access failed cleanly with CorruptBlockException");
        }
        TestDirs.assertNoBlocks(dir);
    }

    private static BlockHeader headerOf(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer bytes = ByteBuffer.allocate(BlockLayout.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(bytes, 0);
            return BlockDecoder.decodeHeader(bytes.flip(), channel.size(), file.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Throwable catchAll(Runnable call) {
        try {
            call.run();
            return null;
        } catch (Throwable e) {
            return e;
        }
    }
}
