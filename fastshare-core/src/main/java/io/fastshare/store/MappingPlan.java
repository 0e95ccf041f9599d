package io.fastshare.store;

import io.fastshare.format.BufferDescriptor;

import java.util.Arrays;
import java.util.List;

/**
 * Which file regions to map for a block's buffers, and which region holds each buffer. Consecutive
 * buffers are grouped into one region as long as it stays within {@link #MAX_REGION} bytes; a buffer
 * larger than that gets a region of its own. So the number of mappings grows with the block's size
 * (one per GiB, at most two per buffer over 1 GiB), never with its buffer count: 65,536 small buffers
 * are one mapping. Empty buffers and buffers over 2 GiB (which no {@code ByteBuffer} view can address)
 * are not mapped.
 *
 * <p>Immutable and thread-safe.
 */
final class MappingPlan {

    /** Largest region that several buffers share; the size of Lucene's MMapDirectory chunks. */
    static final long MAX_REGION = 1L << 30;

    private final long[] offsets;
    private final long[] lengths;
    private final int[] regionOfBuffer;
    private final long[] bufferOffsets;

    private MappingPlan(long[] offsets, long[] lengths, int[] regionOfBuffer, long[] bufferOffsets) {
        this.offsets = offsets;
        this.lengths = lengths;
        this.regionOfBuffer = regionOfBuffer;
        this.bufferOffsets = bufferOffsets;
    }

    /**
     * Plans the regions for a validated buffer table (buffers in ascending, non-overlapping order).
     *
     * @param buffers the table
     * @return the plan
     */
    static MappingPlan of(List<BufferDescriptor> buffers) {
        return of(buffers, MAX_REGION);
    }

    static MappingPlan of(List<BufferDescriptor> buffers, long maxRegion) {
        long[] offsets = new long[Math.min(buffers.size(), 16)];
        long[] lengths = new long[offsets.length];
        int[] regionOfBuffer = new int[buffers.size()];
        long[] bufferOffsets = new long[buffers.size()];
        int count = 0;
        for (int i = 0; i < buffers.size(); i++) {
            BufferDescriptor buffer = buffers.get(i);
            bufferOffsets[i] = buffer.offset();
            if (buffer.length() == 0 || buffer.length() > Integer.MAX_VALUE) {
                regionOfBuffer[i] = -1;
                continue;
            }
            long end = buffer.offset() + buffer.length();
            if (count > 0 && end - offsets[count - 1] <= maxRegion) {
                lengths[count - 1] = end - offsets[count - 1];
            } else {
                if (count == offsets.length) {
                    offsets = Arrays.copyOf(offsets, count * 2);
                    lengths = Arrays.copyOf(lengths, count * 2);
                }
                offsets[count] = buffer.offset();
                lengths[count] = buffer.length();
                count++;
            }
            regionOfBuffer[i] = count - 1;
        }
        return new MappingPlan(Arrays.copyOf(offsets, count), Arrays.copyOf(lengths, count), regionOfBuffer,
                bufferOffsets);
    }

    /**
     * Returns the number of regions to map.
     *
     * @return mappings this block needs
     */
    int regionCount() {
        return offsets.length;
    }

    /**
     * Returns where a region starts in the block.
     *
     * @param region region index
     * @return block offset
     */
    long regionOffset(int region) {
        return offsets[region];
    }

    /**
     * Returns a region's length, at most {@code Integer.MAX_VALUE}.
     *
     * @param region region index
     * @return bytes
     */
    long regionLength(int region) {
        return lengths[region];
    }

    /**
     * Returns the region holding a buffer.
     *
     * @param buffer buffer index
     * @return region index, -1 for a buffer that is not mapped (empty, or over 2 GiB)
     */
    int regionOf(int buffer) {
        return regionOfBuffer[buffer];
    }

    /**
     * Finds the index of a non-empty buffer by its offset, in logarithmic time (a decoder asks for
     * every buffer of a block that may have 65,536 of them). Offsets ascend; an empty buffer may share
     * its offset with the next one, so the match with the wanted length wins.
     *
     * @param buffers the table this plan was made for
     * @param buffer a non-empty descriptor
     * @return its index, -1 when it is not part of the table
     */
    int indexOf(List<BufferDescriptor> buffers, BufferDescriptor buffer) {
        int found = Arrays.binarySearch(bufferOffsets, buffer.offset());
        if (found < 0) {
            return -1;
        }
        while (found > 0 && bufferOffsets[found - 1] == buffer.offset()) {
            found--;
        }
        for (int i = found; i < bufferOffsets.length && bufferOffsets[i] == buffer.offset(); i++) {
            if (buffers.get(i).equals(buffer)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Returns the bytes mapped in all regions.
     *
     * @return bytes
     */
    long mappedBytes() {
        long total = 0;
        for (long length : lengths) {
            total += length;
        }
        return total;
    }
}
