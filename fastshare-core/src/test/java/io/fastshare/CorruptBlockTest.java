package io.fastshare;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Damaged blocks are refused with {@link CorruptBlockException} and nothing else. */
class CorruptBlockTest {

    @TempDir
    Path temp;

    SharedMemoryTemplate template;
    String token;
    Path file;

    @BeforeEach
    void setUp() {
        template = SharedMemoryTemplate.builder().directory(TestDirs.blockDir(temp))
                .poolSize(0) // damages block files
                .build();
        token = template.write(Payloads.make("float[]", 2_000_000, 1));
        file = template.directory().resolve(token.substring("FSHR:shm:".length()));
    }

    @AfterEach
    void tearDown() {
        template.release(token);
        template.close();
        TestDirs.assertNoBlocks(template.directory());
    }

    @ParameterizedTest(name = "truncated to {0} bytes")
    @ValueSource(longs = {0, 1, 4, 64, 127, 128, 191, 192, 255, 1_000_000, 2_000_191})
    void truncatedBlockIsCorrupt(long length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
        }
        assertCorrupt();
    }

    @Test
    void extendedBlockIsCorrupt() throws IOException {
        patch(2_100_000, ByteBuffer.allocate(1));
        assertCorrupt();
    }

    @Test
    void flippedMagicIsCorrupt() throws IOException {
        patch(0, ByteBuffer.wrap(new byte[] {'F', 'S', 'H', 'X'}));
        assertCorrupt("bad magic");
    }

    @Test
    void uncommittedBlockIsCorrupt() throws IOException {
        patch(8, le(4).putInt(0, 0));
        assertCorrupt("not committed");
    }

    @Test
    void unknownVersionIsCorrupt() throws IOException {
        patch(4, le(2).putShort(0, (short) 2));
        assertCorrupt("version 2");
    }

    @Test
    void totalLengthPastTheEndIsCorrupt() throws IOException {
        patch(16, le(8).putLong(0, Long.MAX_VALUE));
        assertCorrupt("length mismatch");
    }

    @Test
    void bufferLengthPastTheEndIsCorrupt() throws IOException {
        // The buffer table starts at 128; its first entry's length is at 136.
        patch(136, le(8).putLong(0, 1L << 40));
        assertCorrupt();
    }

    @Test
    void metadataLengthPastTheEndIsCorrupt() throws IOException {
        patch(68, le(4).putInt(0, Integer.MAX_VALUE));
        assertCorrupt();
    }

    @Test
    void headerChecksumCatchesAFlippedTableBit() throws IOException {
        patch(130, ByteBuffer.wrap(new byte[] {0x7f}));
        assertCorrupt("checksum");
    }

    @Test
    void blockWrittenButNeverCommittedIsNeverReadable() {
        AtomicReference<String> pending = new AtomicReference<>();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        try (SharedMemoryTemplate writer = SharedMemoryTemplate.builder().directory(template.directory()).poolSize(0)
                .beforeCommit(name -> {
                    pending.set(name.value());
                    try {
                        template.read("FSHR:shm:" + name.value(), float[].class);
                    } catch (Throwable e) {
                        seen.set(e);
                    }
                }).build()) {
            String written = writer.write(new float[1_000_000]);
            assertThat(written).endsWith(pending.get());
            assertThat(seen.get()).isInstanceOf(CorruptBlockException.class).hasMessageContaining("not committed");
            assertThat(writer.read(written, float[].class)).hasSize(1_000_000);
        }
    }

    private void assertCorrupt(String... fragments) {
        assertThatThrownBy(() -> template.read(token, float[].class)).isInstanceOf(CorruptBlockException.class)
                .satisfies(e -> {
                    for (String fragment : fragments) {
                        assertThat(e).hasMessageContaining(fragment);
                    }
                });
        assertThatThrownBy(() -> template.open(token)).isInstanceOf(CorruptBlockException.class);
        assertThatThrownBy(() -> template.read(token)).isInstanceOf(CorruptBlockException.class);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void patch(long position, ByteBuffer bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(bytes.rewind(), position);
        }
    }
}
