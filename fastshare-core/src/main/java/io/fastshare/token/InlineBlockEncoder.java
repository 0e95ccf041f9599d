package io.fastshare.token;

import io.fastshare.codec.PayloadBuffer;
import io.fastshare.format.BlockLayout;
import io.fastshare.format.BlockPreamble;
import io.fastshare.format.BufferDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Encodes a block into a byte array for an inline token: the very bytes a block file would hold,
 * committed, so one decoder serves both paths.
 *
 * <p>Stateless and thread-safe.
 */
public final class InlineBlockEncoder {

    private InlineBlockEncoder() {
    }

    /**
     * Encodes a planned block.
     *
     * @param preamble the planned preamble; its total length must fit in an array
     * @param buffers the payload buffers, matching the preamble's table
     * @return the committed block bytes
     * @throws IllegalArgumentException when the block is too large for one array
     */
    public static byte[] encode(BlockPreamble preamble, List<PayloadBuffer> buffers) {
        long total = preamble.header().totalLength();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("block of " + total + " bytes is too large to inline");
        }
        byte[] bytes = new byte[(int) total];
        ByteBuffer out = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = preamble.header().hasPayloadCrc() ? new CRC32C() : null;
        List<BufferDescriptor> layout = preamble.buffers();
        for (int i = 0; i < layout.size(); i++) {
            BufferDescriptor descriptor = layout.get(i);
            int start = (int) descriptor.offset();
            ByteBuffer target = out.duplicate().position(start).limit(start + (int) descriptor.length()).slice()
                    .order(ByteOrder.LITTLE_ENDIAN);
            buffers.get(i).source().copyTo(0, target);
            if (crc != null) {
                crc.update(bytes, start, (int) descriptor.length());
            }
        }
        ByteBuffer header = preamble.encode(BlockLayout.COMMITTED, crc == null ? 0 : (int) crc.getValue());
        out.put(0, header, 0, header.capacity());
        return bytes;
    }
}
