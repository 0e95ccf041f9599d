package io.fastshare;

import io.fastshare.format.BlockLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A checksummed block whose payload changed after the commit (a stray write, a bad page) is refused by
 * every reader: {@code read}, {@code open} and {@code take} throw {@link CorruptBlockException}, for
 * block files and for inline tokens. Without a checksum the same damage is not detectable, which the
 * last test pins down so that this test cannot pass by refusing everything.
 */
class PayloadChecksumVerificationTest {

    private static final int FLOATS = 300_000;

    @TempDir
    Path temp;

    private SharedMemoryTemplate template;
    private float[] payload;

    @BeforeEach
    void setUp() {
        template = SharedMemoryTemplate.builder().directory(TestDirs.blockDir(temp)).threshold(0).poolSize(0)
                .maxInlineSize(4 << 20).build();
        payload = new float[FLOATS];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = i * 0.5f;
        }
    }

    @AfterEach
    void tearDown() {
        template.close();
        TestDirs.assertNoBlocks(template.directory());
    }

    @Test
    void readRefusesAFlippedPayloadByte() throws IOException {
        String token = checksummedBlockWithFlippedPayloadByte(FLOATS * 2L);
        assertThatThrownBy(() -> template.read(token, float[].class)).isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining("checksum");
        template.release(token);
    }

    @Test
    void openRefusesAFlippedPayloadByte() throws IOException {
        String token = checksummedBlockWithFlippedPayloadByte(7);
        assertThatThrownBy(() -> {
            try (SharedPayload opened = template.open(token)) {
                opened.value(float[].class);
            }
        }).isInstanceOf(CorruptBlockException.class).hasMessageContaining("checksum");
        template.release(token);
    }

    @Test
    void takeRefusesAFlippedPayloadByte() throws IOException {
        String token = checksummedBlockWithFlippedPayloadByte(FLOATS * 4L - 1);
        assertThatThrownBy(() -> template.take(token, float[].class)).isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining("checksum");
        template.release(token);
    }

    @Test
    void everyReaderRefusesAnInlineTokenWithAFlippedPayloadByte() {
        String token = template.write(payload, WriteOptions.defaults().inline().checksum(true));
        byte[] block = Base64.getUrlDecoder().decode(token.substring("FSHR:inl:".length()));
        block[payloadOffset(ByteBuffer.wrap(block)) + 1234] ^= 0x10;
        String damaged = "FSHR:inl:" + Base64.getUrlEncoder().withoutPadding().encodeToString(block);

        assertThatThrownBy(() -> template.read(damaged, float[].class)).isInstanceOf(CorruptBlockException.class);
        assertThatThrownBy(() -> template.open(damaged).close()).isInstanceOf(CorruptBlockException.class);
        assertThatThrownBy(() -> template.take(damaged, float[].class)).isInstanceOf(CorruptBlockException.class);
    }

    @Test
    void withoutAChecksumTheSameDamageReadsAsDifferentFloats() throws IOException {
        String token = template.write(payload, WriteOptions.defaults().shared().checksum(false));
        flipPayloadByte(token, 40);
        float[] read = template.read(token, float[].class);
        assertThat(read).hasSize(FLOATS);
        assertThat(Arrays.equals(read, payload)).as("the flipped byte is visible in the data").isFalse();
        template.release(token);
    }

    private String checksummedBlockWithFlippedPayloadByte(long payloadByte) throws IOException {
        String token = template.write(payload, WriteOptions.defaults().shared().checksum(true));
        assertThat(template.read(token, float[].class)).as("intact before the damage").isEqualTo(payload);
        flipPayloadByte(token, payloadByte);
        return token;
    }

    private void flipPayloadByte(String token, long payloadByte) throws IOException {
        Path file = template.directory().resolve(token.substring(token.lastIndexOf(':') + 1));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(BlockLayout.HEADER_LENGTH + BlockLayout.TABLE_ENTRY_LENGTH);
            channel.read(header, 0);
            long at = payloadOffset(header) + payloadByte;
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, at);
            one.put(0, (byte) (one.get(0) ^ 0x01)).rewind();
            channel.write(one, at);
        }
    }

    /** Offset of the first buffer, from the first buffer-table entry. */
    private static int payloadOffset(ByteBuffer block) {
        ByteBuffer in = block.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return (int) in.getLong((int) BlockLayout.entryOffset(0) + BlockLayout.ENTRY_OFFSET);
    }
}
