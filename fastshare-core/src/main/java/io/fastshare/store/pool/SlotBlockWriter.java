package io.fastshare.store.pool;

import io.fastshare.codec.PayloadBuffer;
import io.fastshare.format.BlockLayout;
import io.fastshare.format.BlockPreamble;
import io.fastshare.format.BufferDescriptor;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes one block into an allocated slot, following the block commit protocol: preamble with the
 * commit state WRITING, every buffer copied straight into the shared memory (one copy, from the
 * payload's source into already-faulted pages), then the commit state last.
 *
 * <p>Stateless and thread-safe.
 */
public final class SlotBlockWriter {

    private SlotBlockWriter() {
    }

    /**
     * Writes and commits a block into a slot (not yet published).
     *
     * @param slot the allocated slot; its capacity must hold {@code preamble.header().totalLength()}
     * @param preamble the planned preamble, whose buffers match {@code buffers}
     * @param buffers the payload buffers in table order
     * @throws IllegalArgumentException when the block does not fit the slot
     */
    public static void write(SlotWrite slot, BlockPreamble preamble, List<PayloadBuffer> buffers) {
        long total = preamble.header().totalLength();
        if (total > slot.capacity()) {
            throw new IllegalArgumentException("a " + total + "-byte block does not fit a " + slot.capacity()
                    + "-byte slot");
        }
        ByteBuffer memory = slot.buffer();
        ByteBuffer encoded = preamble.encode(BlockLayout.WRITING, 0);
        int preambleLength = encoded.remaining();
        memory.put(0, encoded, 0, preambleLength);
        // Alignment padding of a reused slot holds the previous block's bytes: zero it, as files have it.
        List<BufferDescriptor> layout = preamble.buffers();
        long end = preambleLength;
        CRC32C crc = preamble.header().hasPayloadCrc() ? new CRC32C() : null;
        for (int i = 0; i < layout.size(); i++) {
            BufferDescriptor descriptor = layout.get(i);
            zero(memory, end, descriptor.offset());
            ByteBuffer target = memory.slice((int) descriptor.offset(), (int) descriptor.length())
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            buffers.get(i).source().copyTo(0, target);
            if (crc != null) {
                crc.update(memory.slice((int) descriptor.offset(), (int) descriptor.length()));
            }
            end = descriptor.offset() + descriptor.length();
        }
        zero(memory, end, total);
        if (crc != null) {
            memory.put(0, preamble.encode(BlockLayout.WRITING, (int) crc.getValue()), 0, preambleLength);
        }
        memory.putInt(BlockLayout.COMMIT_OFFSET, BlockLayout.COMMITTED);
    }

    private static void zero(ByteBuffer memory, long from, long to) {
        for (int i = (int) from; i < to; i++) {
            memory.put(i, (byte) 0);
        }
    }
}
