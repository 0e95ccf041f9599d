package io.fastshare.format;

import io.fastshare.CorruptBlockException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Validates and decodes the preamble of a block. Nothing in a block is trusted until it has passed
 * here: every length and offset is checked against the real size of the block before a reader
 * allocates, reads or maps anything it names.
 *
 * <p>Decoding happens in two steps so a reader never allocates more than the block can hold:
 * {@link #decodeHeader} checks the fixed header against the block's real size, then the reader reads
 * {@link BlockHeader#preambleLength()} bytes and {@link #decodePreamble} checks the checksum and
 * every buffer-table entry.
 *
 * <p>Stateless and thread-safe.
 */
public final class BlockDecoder {

    /** Chunk in which the header checksum streams over codec metadata. */
    private static final int CRC_CHUNK = 64 * 1024;

    private BlockDecoder() {
    }

    /**
     * Decodes and validates the fixed header.
     *
     * @param bytes at least the first {@link BlockLayout#HEADER_LENGTH} bytes of the block, from index 0
     * @param actualLength the real length of the block (file size, or inline byte count)
     * @param name the block name (or "inline token"), for messages
     * @return the header
     * @throws CorruptBlockException when the block is truncated, not committed, of an unknown version,
     *     or any field is out of range
     */
    public static BlockHeader decodeHeader(ByteBuffer bytes, long actualLength, String name) {
        ByteBuffer in = checkIdentity(bytes, actualLength, name);
        int commit = in.getInt(BlockLayout.COMMIT_OFFSET);
        if (commit == BlockLayout.WRITING) {
            throw corrupt(name, "not committed: its writer has not finished or died mid-write; "
                    + "the janitor reclaims it once the writer is gone");
        }
        if (commit != BlockLayout.COMMITTED) {
            throw corrupt(name, "invalid commit state 0x" + Integer.toHexString(commit));
        }
        int flags = in.getInt(BlockLayout.FLAGS_OFFSET);
        if ((flags & ~BlockLayout.KNOWN_FLAGS) != 0) {
            throw corrupt(name, "unknown flags 0x" + Integer.toHexString(flags));
        }
        long totalLength = in.getLong(BlockLayout.TOTAL_LENGTH_OFFSET);
        if (totalLength != actualLength) {
            throw corrupt(name, "length mismatch: header says " + totalLength + " bytes, block has "
                    + actualLength + " (truncated or overwritten)");
        }
        long created = in.getLong(BlockLayout.CREATED_OFFSET);
        long expires = in.getLong(BlockLayout.EXPIRES_OFFSET);
        if (created < 0 || expires < 0) {
            throw corrupt(name, "negative timestamp");
        }
        OwnerId owner = new OwnerId(in.order(ByteOrder.BIG_ENDIAN).getLong(BlockLayout.OWNER_OFFSET),
                in.getLong(BlockLayout.OWNER_OFFSET + 8));
        in.order(ByteOrder.LITTLE_ENDIAN);
        long pid = in.getLong(BlockLayout.PID_OFFSET);
        int bufferCount = in.getInt(BlockLayout.BUFFER_COUNT_OFFSET);
        if (bufferCount < 0 || bufferCount > BlockLayout.MAX_BUFFER_COUNT) {
            throw corrupt(name, "buffer count " + Integer.toUnsignedString(bufferCount) + " out of range");
        }
        int metadataLength = in.getInt(BlockLayout.METADATA_LENGTH_OFFSET);
        if (metadataLength < 0 || metadataLength > BlockLayout.MAX_METADATA_LENGTH) {
            throw corrupt(name, "metadata length " + Integer.toUnsignedString(metadataLength) + " out of range");
        }
        long metadataOffset = in.getLong(BlockLayout.METADATA_OFFSET_OFFSET);
        if (metadataOffset != BlockLayout.entryOffset(bufferCount)) {
            throw corrupt(name, "metadata offset " + metadataOffset + " does not follow the buffer table");
        }
        if (metadataOffset + metadataLength > totalLength) {
            throw corrupt(name, "buffer table and metadata (" + (metadataOffset + metadataLength)
                    + " bytes) extend past the end of the block (" + totalLength + " bytes)");
        }
        return new BlockHeader(commit, flags, totalLength, created, expires, owner, pid, bufferCount,
                metadataOffset, metadataLength, in.getInt(BlockLayout.PAYLOAD_CRC_OFFSET),
                in.getInt(BlockLayout.HEADER_CRC_OFFSET), codecId(in, name));
    }

    /**
     * Checks what every reader of a header checks first, strict or lenient: the block is long enough
     * for a header, and magic, version and header length are this format's.
     *
     * @param bytes the first bytes of the block from index 0
     * @param actualLength the real length of the block
     * @param name block name, for messages
     * @return a little-endian duplicate of {@code bytes}
     * @throws CorruptBlockException when any of them is wrong
     */
    static ByteBuffer checkIdentity(ByteBuffer bytes, long actualLength, String name) {
        if (actualLength < BlockLayout.HEADER_LENGTH || bytes.limit() < BlockLayout.HEADER_LENGTH) {
            throw corrupt(name, "truncated: " + actualLength + " bytes, shorter than the "
                    + BlockLayout.HEADER_LENGTH + "-byte header");
        }
        ByteBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (in.getInt(BlockLayout.MAGIC_OFFSET) != BlockLayout.MAGIC) {
            throw corrupt(name, "bad magic: not a fastshare block");
        }
        int version = Short.toUnsignedInt(in.getShort(BlockLayout.VERSION_OFFSET));
        if (version != BlockLayout.VERSION) {
            throw corrupt(name, "format version " + version + " is not supported (this library reads version "
                    + BlockLayout.VERSION + "); upgrade fastshare on the reading side");
        }
        int headerLength = Short.toUnsignedInt(in.getShort(BlockLayout.HEADER_LENGTH_OFFSET));
        if (headerLength != BlockLayout.HEADER_LENGTH) {
            throw corrupt(name, "header length " + headerLength + " != " + BlockLayout.HEADER_LENGTH);
        }
        return in;
    }

    private static String codecId(ByteBuffer in, String name) {
        StringBuilder id = new StringBuilder(BlockLayout.CODEC_ID_LENGTH);
        boolean ended = false;
        for (int i = 0; i < BlockLayout.CODEC_ID_LENGTH; i++) {
            int c = in.get(BlockLayout.CODEC_ID_OFFSET + i) & 0xff;
            if (c == 0) {
                ended = true;
            } else if (ended || c <= 0x20 || c >= 0x7f) {
                throw corrupt(name, "invalid codec id");
            } else {
                id.append((char) c);
            }
        }
        if (id.length() == 0) {
            throw corrupt(name, "empty codec id");
        }
        return id.toString();
    }

    /**
     * Validates the header checksum and every buffer-table entry, and extracts the metadata.
     *
     * @param header a header returned by {@link #decodeHeader}
     * @param preamble the first {@link BlockHeader#preambleLength()} bytes of the block, from index 0
     * @param name the block name, for messages
     * @return the validated preamble
     * @throws CorruptBlockException on a checksum mismatch or an entry that is out of range, misaligned,
     *     overlapping, or inconsistent with its shape
     */
    public static BlockPreamble decodePreamble(BlockHeader header, ByteBuffer preamble, String name) {
        int length = Math.toIntExact(header.preambleLength());
        if (preamble.limit() < length) {
            throw corrupt(name, "truncated preamble");
        }
        ByteBuffer in = preamble.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (BlockPreamble.headerCrc(in, length) != header.headerCrc()) {
            throw corrupt(name, "header checksum mismatch");
        }
        List<BufferDescriptor> buffers = decodeTable(header, in, name);
        byte[] metadata = new byte[header.metadataLength()];
        in.get(Math.toIntExact(header.metadataOffset()), metadata);
        return new BlockPreamble(header, buffers, metadata);
    }

    /**
     * Validates the preamble of a block that is read from a file, allocating only what is bounded
     * before validation: the header checksum is computed by streaming the preamble through a small
     * buffer, then the buffer table (at most {@link BlockLayout#MAX_BUFFER_COUNT} entries) is read and
     * checked. The codec metadata, up to {@link BlockLayout#MAX_METADATA_LENGTH} bytes that a forged
     * sparse file can claim cheaply, is not read at all: a codec reads it from the block when it asks
     * ({@code PayloadReader.metadata()}), so listing or rejecting a block never allocates it.
     *
     * @param header a header returned by {@link #decodeHeader}
     * @param content the block's bytes
     * @param name the block name, for messages
     * @return the validated preamble, without its metadata bytes
     * @throws CorruptBlockException on a checksum mismatch, a short read, or an invalid table entry
     */
    public static BlockPreamble decodePreamble(BlockHeader header, BlockContent content, String name) {
        ByteBuffer table = ByteBuffer.allocate(Math.toIntExact(header.metadataOffset())).order(ByteOrder.LITTLE_ENDIAN);
        content.read(0, table);
        table.flip();
        if (streamedHeaderCrc(header, table, content) != header.headerCrc()) {
            throw corrupt(name, "header checksum mismatch");
        }
        return new BlockPreamble(header, decodeTable(header, table, name), null);
    }

    /** The header checksum of a preamble whose header and table are in memory and metadata in the block. */
    private static int streamedHeaderCrc(BlockHeader header, ByteBuffer table, BlockContent content) {
        CRC32C crc = new CRC32C();
        BlockPreamble.updateHeaderCrc(crc, table, table.limit());
        long end = header.preambleLength();
        long position = header.metadataOffset();
        if (position < end) {
            ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CRC_CHUNK, end - position));
            while (position < end) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), end - position));
                content.read(position, chunk);
                crc.update(chunk.flip());
                position += chunk.limit();
            }
        }
        return (int) crc.getValue();
    }

    private static List<BufferDescriptor> decodeTable(BlockHeader header, ByteBuffer in, String name) {
        List<BufferDescriptor> buffers = new ArrayList<>(header.bufferCount());
        long previousEnd = header.preambleLength();
        for (int i = 0; i < header.bufferCount(); i++) {
            BufferDescriptor buffer = entry(in, i, name);
            if (buffer.offset() < previousEnd || buffer.offset() % BlockLayout.BUFFER_ALIGNMENT != 0) {
                throw corrupt(name, "buffer " + i + " at offset " + buffer.offset()
                        + " overlaps the previous data or is not 64-byte aligned");
            }
            long end = buffer.offset() + buffer.length();
            if (end < 0 || end > header.totalLength()) {
                throw corrupt(name, "buffer " + i + " (" + buffer.length() + " bytes at " + buffer.offset()
                        + ") extends past the end of the block (" + header.totalLength() + " bytes)");
            }
            buffers.add(buffer);
            previousEnd = end;
        }
        return buffers;
    }

    private static BufferDescriptor entry(ByteBuffer in, int index, String name) {
        int entry = Math.toIntExact(BlockLayout.entryOffset(index));
        long offset = in.getLong(entry + BlockLayout.ENTRY_OFFSET);
        long length = in.getLong(entry + BlockLayout.ENTRY_LENGTH);
        int code = in.get(entry + BlockLayout.ENTRY_ELEMENT_TYPE) & 0xff;
        ElementType type = ElementType.fromCode(code)
                .orElseThrow(() -> corrupt(name, "buffer " + index + " has unknown element type " + code));
        int rank = in.get(entry + BlockLayout.ENTRY_RANK) & 0xff;
        if (rank < 1 || rank > BlockLayout.MAX_RANK) {
            throw corrupt(name, "buffer " + index + " has rank " + rank);
        }
        if (offset < 0 || length < 0) {
            throw corrupt(name, "buffer " + index + " has a negative offset or length");
        }
        long[] shape = new long[rank];
        long count = 1;
        for (int d = 0; d < rank; d++) {
            shape[d] = in.getLong(entry + BlockLayout.ENTRY_SHAPE + 8 * d);
            if (shape[d] < 0) {
                throw corrupt(name, "buffer " + index + " has a negative dimension");
            }
            count = multiplyOrMinusOne(count, shape[d]);
        }
        long expected = multiplyOrMinusOne(count, type.size());
        if (count < 0 || expected != length) {
            throw corrupt(name, "buffer " + index + " length " + length + " does not match its shape and element type");
        }
        return new BufferDescriptor(offset, length, type, shape);
    }

    private static long multiplyOrMinusOne(long a, long b) {
        if (a < 0) {
            return -1;
        }
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return high != 0 || product < 0 ? -1 : product;
    }

    private static CorruptBlockException corrupt(String name, String problem) {
        return new CorruptBlockException("block " + name + " is corrupt: " + problem);
    }
}
