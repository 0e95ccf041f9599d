package io.fastshare.torture;

import io.fastshare.CodecException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import io.fastshare.codec.EncodedPayload;
import io.fastshare.codec.PayloadCodec;
import io.fastshare.codec.PayloadReader;
import io.fastshare.format.BlockLayout;
import io.fastshare.format.BlockName;
import io.fastshare.format.BlockPreamble;
import io.fastshare.format.BufferSpec;
import io.fastshare.format.ElementType;
import io.fastshare.format.OwnerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.List;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Regression tests for core bugs the torture suite found. Each fails without its fix.
 */
class CoreRegressionTest {

    @TempDir
    Path tempDir;

    /**
     * A buffer over 2 GiB is not mapped as one ByteBuffer; {@code open()} of such a block with a
     * payload checksum, or an array copy from it, read through a missing mapping and threw
     * NullPointerException.
     */
    @Test
    void openOfBlockWithBufferOver2GiBReadsItInsteadOfThrowingNullPointerException() throws Exception {
        Path dir = TestDirs.blockDir(tempDir);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).build()) {
            long length = (1L << 31) + 64;
            BlockName name = BlockName.random(new SecureRandom());
            BlockPreamble preamble = BlockPreamble.plan("raw", "byte[]".getBytes(StandardCharsets.US_ASCII),
                    List.of(BufferSpec.vector(ElementType.BYTES, length)), new OwnerId(1, 2), 1,
                    System.currentTimeMillis(), 0, true);
            // The buffer is all zeros: a sparse file whose holes read as zeros.
            CRC32C crc = new CRC32C();
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long done = 0; done < length; done += zeros.capacity()) {
                crc.update(zeros.clear().limit((int) Math.min(zeros.capacity(), length - done)));
            }
            try (FileChannel channel = FileChannel.open(dir.resolve(name.value()), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                channel.write(preamble.encode(BlockLayout.COMMITTED, (int) crc.getValue()), 0);
            }
            try (RandomAccessFile file = new RandomAccessFile(dir.resolve(name.value()).toFile(), "rw")) {
                file.setLength(preamble.header().totalLength());
            }
            String token = "FSHR:shm:" + name.value();
            try (SharedPayload payload = template.open(token)) {
                assertThat(payload.size()).isEqualTo(preamble.header().totalLength());
                assertThatThrownBy(() -> payload.view(0)).isInstanceOf(CodecException.class);
                assertThatThrownBy(() -> payload.value(byte[].class)).isInstanceOf(CodecException.class);
            } finally {
                template.release(token);
            }
        }
        TestDirs.assertNoBlocks(dir);
    }

    /** A codec failing with a RuntimeException surfaced as CodecException from read() but raw from value(). */
    @Test
    void failingCodecSurfacesAsCodecExceptionFromOpenedHandlesToo() {
        Path dir = TestDirs.blockDir(tempDir);
        PayloadCodec failing = new PayloadCodec() {
            private final PayloadCodec delegate = new io.fastshare.codec.RawCodec();

            @Override
            public String id() {
                return "failing";
            }

            @Override
            public boolean canEncode(Object value) {
                return value instanceof int[];
            }

            @Override
            public EncodedPayload encode(Object value) {
                return delegate.encode(value);
            }

            @Override
            public Object decode(PayloadReader payload, Type targetType) {
                throw new IllegalStateException("codec bug");
            }
        };
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).codec(failing).build()) {
            for (WriteOptions options : List.of(WriteOptions.defaults().inline(), WriteOptions.defaults().shared())) {
                String token = template.write(new int[] {1, 2, 3}, options);
                assertThatThrownBy(() -> template.read(token)).isInstanceOf(CodecException.class);
                try (SharedPayload payload = template.open(token)) {
                    assertThatThrownBy(() -> payload.value(Object.class)).isInstanceOf(CodecException.class)
                            .hasCauseInstanceOf(IllegalStateException.class);
                    assertThatThrownBy(() -> payload.value((Type) int[].class)).isInstanceOf(CodecException.class);
                }
                template.release(token);
            }
        }
        TestDirs.assertNoBlocks(dir);
    }

    /**
     * A block whose last buffer is empty ends on padding the writer never wrote, so the file was
     * shorter than its header said and the block it had just committed could not be read.
     */
    @Test
    void sharedBlockEndingInAnEmptyBufferReadsBack() {
        Path dir = TestDirs.blockDir(tempDir);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0).poolSize(0)
                .codec(new MultiBufferCodec()).build()) {
            String empty = template.write(new byte[0], WriteOptions.defaults().shared());
            assertThat(template.read(empty, byte[].class)).isEmpty();
            MultiBufferCodec.Multi multi = new MultiBufferCodec.Multi(
                    List.of(BufferSpec.vector(ElementType.INT8, 3), BufferSpec.vector(ElementType.FLOAT32, 0)),
                    List.of(new byte[] {1, 2, 3}, new byte[0]));
            String token = template.write(multi, WriteOptions.defaults().shared().checksum(true));
            try (SharedPayload opened = template.open(token)) {
                assertThat(opened.value(MultiBufferCodec.Multi.class).contents().get(0)).containsExactly(1, 2, 3);
            }
            assertThat(template.take(token, MultiBufferCodec.Multi.class).contents()).hasSize(2);
            template.release(empty);
        }
        TestDirs.assertNoBlocks(dir);
    }
}
