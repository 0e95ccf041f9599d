package io.fastshare.store.redis;

import io.fastshare.codec.PayloadBuffer;
import io.fastshare.codec.ScratchBuffers;
import io.fastshare.format.BlockLayout;
import io.fastshare.format.BlockPreamble;
import io.fastshare.format.BufferDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Produces the bytes of a block one chunk at a time: exactly the bytes a committed block file would
 * hold (header with commit state {@code COMMITTED}, table, metadata, aligned buffers), so readers
 * validate them with the shared {@code BlockDecoder}. In Redis the commit key, written after every
 * chunk, is what makes a block visible; the header can therefore be final from the first chunk.
 *
 * <p>Not thread-safe: one encoder serves one write.
 */
final class ChunkEncoder {

    private final BlockPreamble preamble;
    private final List<PayloadBuffer> buffers;
    private final byte[] header;

    /**
     * Prepares the encoding; computes the payload checksum first when the block carries one (the
     * header with the checksum goes into chunk 0, before the buffers are streamed).
     *
     * @param preamble the planned preamble
     * @param buffers the payload buffers matching its table
     */
    ChunkEncoder(BlockPreamble preamble, List<PayloadBuffer> buffers) {
        this.preamble = preamble;
        this.buffers = buffers;
        int crc = preamble.header().hasPayloadCrc() ? payloadCrc(preamble.buffers(), buffers) : 0;
        ByteBuffer encoded = preamble.encode(BlockLayout.COMMITTED, crc);
        this.header = new byte[encoded.remaining()];
        encoded.duplicate().get(header);
    }

    /**
     * Fills {@code chunk} with the block bytes from {@code start}, as many as the array holds.
     *
     * @param start block position of the chunk's first byte
     * @param chunk destination, fully overwritten
     */
    void fill(long start, byte[] chunk) {
        Arrays.fill(chunk, (byte) 0);
        long end = start + chunk.length;
        if (start < header.length) {
            System.arraycopy(header, (int) start, chunk, 0, (int) Math.min(chunk.length, header.length - start));
        }
        List<BufferDescriptor> layout = preamble.buffers();
        for (int i = 0; i < layout.size(); i++) {
            BufferDescriptor descriptor = layout.get(i);
            long from = Math.max(start, descriptor.offset());
            long to = Math.min(end, descriptor.offset() + descriptor.length());
            if (from >= to) {
                continue;
            }
            // Chunk starts are multiples of 64 and buffers are 64-aligned, so the source offset is a
            // multiple of every element size, as BufferSource requires.
            ByteBuffer target = ByteBuffer.wrap(chunk, (int) (from - start), (int) (to - from)).slice()
                    .order(ByteOrder.LITTLE_ENDIAN);
            buffers.get(i).source().copyTo(from - descriptor.offset(), target);
        }
    }

    private static int payloadCrc(List<BufferDescriptor> layout, List<PayloadBuffer> buffers) {
        CRC32C crc = new CRC32C();
        ByteBuffer scratch = ScratchBuffers.take();
        try {
            for (int i = 0; i < layout.size(); i++) {
                long length = layout.get(i).length();
                for (long done = 0; done < length; ) {
                    int step = (int) Math.min(scratch.capacity(), length - done);
                    scratch.clear().limit(step);
                    buffers.get(i).source().copyTo(done, scratch);
                    crc.update(scratch.flip());
                    done += step;
                }
            }
        } finally {
            ScratchBuffers.give(scratch);
        }
        return (int) crc.getValue();
    }
}
