package io.fastshare.cleanup;

import io.fastshare.CorruptBlockException;
import io.fastshare.format.BlockLayout;
import io.fastshare.format.BlockPreamble;
import io.fastshare.format.BufferSpec;
import io.fastshare.format.ElementType;
import io.fastshare.format.HeaderPeek;
import io.fastshare.format.OwnerId;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lenient header read behind listings: accepts uncommitted headers, rejects everything else invalid. */
class HeaderPeekTest {

    private static final OwnerId OWNER = new OwnerId(0x0123456789abcdefL, 0x7edcba9876543210L);

    private static BlockPreamble preamble() {
        return BlockPreamble.plan("raw", new byte[10], List.of(new BufferSpec(ElementType.BYTES, new long[] {1000})),
                OWNER, 4242, 1_700_000_000_000L, 1_700_000_600_000L, false);
    }

    @Test
    void readsAnUncommittedHeaderOfAFileStillBeingWritten() {
        BlockPreamble preamble = preamble();
        ByteBuffer bytes = preamble.encode(BlockLayout.WRITING, 0);
        HeaderPeek peek = HeaderPeek.read(bytes, bytes.capacity(), "test");
        assertThat(peek.committed()).isFalse();
        assertThat(peek.owner()).isEqualTo(OWNER);
        assertThat(peek.pid()).isEqualTo(4242);
        assertThat(peek.createdMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(peek.expiresMillis()).isEqualTo(1_700_000_600_000L);
        assertThat(peek.hasExpiry()).isTrue();
        assertThat(peek.totalLength()).isEqualTo(preamble.header().totalLength()).isGreaterThan(bytes.capacity());
    }

    @Test
    void readsACommittedHeader() {
        ByteBuffer bytes = preamble().encode(BlockLayout.COMMITTED, 0);
        assertThat(HeaderPeek.read(bytes, preamble().header().totalLength(), "test").committed()).isTrue();
    }

    @Test
    void rejectsTruncatedFiles() {
        ByteBuffer bytes = preamble().encode(BlockLayout.WRITING, 0);
        assertThatThrownBy(() -> HeaderPeek.read(bytes, 127, "test")).isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> HeaderPeek.read(ByteBuffer.allocate(10), 10, "test"))
                .isInstanceOf(CorruptBlockException.class);
    }

    @Test
    void rejectsFilesLongerThanTheHeaderSays() {
        ByteBuffer bytes = preamble().encode(BlockLayout.COMMITTED, 0);
        long total = preamble().header().totalLength();
        assertThatThrownBy(() -> HeaderPeek.read(bytes, total + 1, "test")).isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining("length mismatch");
    }

    @Test
    void rejectsBadMagicVersionCommitStateAndTimestamps() {
        assertCorrupt(BlockLayout.MAGIC_OFFSET, 0x11223344, "magic");
        assertCorrupt(BlockLayout.COMMIT_OFFSET, 0x7777, "commit state");
        ByteBuffer version = preamble().encode(BlockLayout.WRITING, 0);
        version.putShort(BlockLayout.VERSION_OFFSET, (short) 2);
        assertThatThrownBy(() -> HeaderPeek.read(version, version.capacity(), "t")).hasMessageContaining("version");
        ByteBuffer created = preamble().encode(BlockLayout.WRITING, 0);
        created.putLong(BlockLayout.CREATED_OFFSET, -5);
        assertThatThrownBy(() -> HeaderPeek.read(created, created.capacity(), "t")).hasMessageContaining("timestamp");
    }

    private static void assertCorrupt(int offset, int value, String message) {
        ByteBuffer bytes = preamble().encode(BlockLayout.WRITING, 0);
        bytes.putInt(offset, value);
        assertThatThrownBy(() -> HeaderPeek.read(bytes, bytes.capacity(), "test"))
                .isInstanceOf(CorruptBlockException.class).hasMessageContaining(message);
    }
}
