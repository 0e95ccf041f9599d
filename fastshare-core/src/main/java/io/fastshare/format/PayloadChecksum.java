package io.fastshare.format;

import io.fastshare.CorruptBlockException;
import io.fastshare.codec.ScratchBuffers;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Verifies the optional CRC32C payload checksum of a block (flag {@link BlockLayout#FLAG_PAYLOAD_CRC}):
 * the CRC32C of all buffers' bytes, in table order, without padding.
 *
 * <p>Stateless and thread-safe.
 */
public final class PayloadChecksum {

    private PayloadChecksum() {
    }

    /**
     * Checks the payload checksum when the block carries one; does nothing otherwise.
     *
     * @param preamble the validated preamble
     * @param content the block's bytes
     * @param name block name for messages
     * @throws CorruptBlockException when the checksum does not match
     */
    public static void verify(BlockPreamble preamble, BlockContent content, String name) {
        if (!preamble.header().hasPayloadCrc()) {
            return;
        }
        CRC32C crc = new CRC32C();
        ByteBuffer chunk = null;
        try {
            for (BufferDescriptor buffer : preamble.buffers()) {
                if (content.viewsAreCheap() && buffer.length() <= Integer.MAX_VALUE) {
                    try {
                        crc.update(content.view(buffer));
                    } catch (InternalError e) {
                        throw new CorruptBlockException("block " + name + " was truncated while being verified", e);
                    }
                    continue;
                }
                if (chunk == null) {
                    // Mapped content verifies through positional reads too, through one bounded scratch buffer.
                    chunk = ScratchBuffers.take(largest(preamble));
                }
                for (long done = 0; done < buffer.length(); ) {
                    int length = (int) Math.min(chunk.capacity(), buffer.length() - done);
                    chunk.clear().limit(length);
                    content.read(buffer.offset() + done, chunk);
                    crc.update(chunk.flip());
                    done += length;
                }
            }
        } finally {
            ScratchBuffers.give(chunk);
        }
        if ((int) crc.getValue() != preamble.header().payloadCrc()) {
            throw new CorruptBlockException("block " + name + " is corrupt: payload checksum mismatch");
        }
    }

    private static long largest(BlockPreamble preamble) {
        long largest = 0;
        for (BufferDescriptor buffer : preamble.buffers()) {
            largest = Math.max(largest, buffer.length());
        }
        return largest;
    }
}
