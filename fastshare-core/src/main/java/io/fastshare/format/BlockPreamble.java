package io.fastshare.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Everything in a block before the first buffer: header, buffer table and codec metadata. The writer
 * {@link #plan plans} a preamble (assigning aligned buffer offsets) and {@link #encode encodes} it;
 * the reader gets one from {@link BlockDecoder}, which validates it.
 *
 * <p>Immutable and thread-safe.
 */
public final class BlockPreamble {

    private final BlockHeader header;
    private final List<BufferDescriptor> buffers;
    /** Null when the metadata stayed in the block (a preamble decoded from a file). */
    private final byte[] metadata;

    BlockPreamble(BlockHeader header, List<BufferDescriptor> buffers, byte[] metadata) {
        this.header = header;
        this.buffers = List.copyOf(buffers);
        this.metadata = metadata;
    }

    /**
     * Lays out a new block: metadata right after the buffer table, each buffer on the next 64-byte
     * boundary, total length the end of the last buffer.
     *
     * @param codecId id of the codec that encodes the payload, 1 to 16 ASCII characters
     * @param metadata codec metadata
     * @param specs the buffers, in order
     * @param owner the writer's owner id
     * @param pid the writer's process id
     * @param createdMillis creation time
     * @param expiresMillis expiry time, 0 for none
     * @param payloadCrc whether the block will carry a payload checksum
     * @return the planned preamble, commit state {@link BlockLayout#WRITING}
     * @throws IllegalArgumentException when the codec id, metadata or buffer count exceed the format's limits
     */
    public static BlockPreamble plan(String codecId, byte[] metadata, List<BufferSpec> specs, OwnerId owner,
            long pid, long createdMillis, long expiresMillis, boolean payloadCrc) {
        checkCodecId(codecId);
        if (specs.size() > BlockLayout.MAX_BUFFER_COUNT) {
            throw new IllegalArgumentException("too many buffers: " + specs.size() + " > " + BlockLayout.MAX_BUFFER_COUNT);
        }
        if (metadata.length > BlockLayout.MAX_METADATA_LENGTH) {
            throw new IllegalArgumentException("codec metadata too large: " + metadata.length + " bytes > "
                    + BlockLayout.MAX_METADATA_LENGTH);
        }
        long metadataOffset = BlockLayout.entryOffset(specs.size());
        long position = metadataOffset + metadata.length;
        List<BufferDescriptor> buffers = new ArrayList<>(specs.size());
        for (BufferSpec spec : specs) {
            position = BlockLayout.align(position);
            long length = spec.byteLength();
            buffers.add(new BufferDescriptor(position, length, spec.elementType(), spec.shape()));
            position = Math.addExact(position, length);
        }
        BlockHeader header = new BlockHeader(BlockLayout.WRITING, payloadCrc ? BlockLayout.FLAG_PAYLOAD_CRC : 0,
                position, createdMillis, expiresMillis, owner, pid, specs.size(), metadataOffset, metadata.length,
                0, 0, codecId);
        return new BlockPreamble(header, buffers, metadata.clone());
    }

    static void checkCodecId(String codecId) {
        if (codecId == null || codecId.isEmpty() || codecId.length() > BlockLayout.CODEC_ID_LENGTH
                || !codecId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("codec id must be 1.." + BlockLayout.CODEC_ID_LENGTH
                    + " printable ASCII characters: " + codecId);
        }
    }

    /**
     * Encodes header, table and metadata, computing the header checksum.
     *
     * @param commitState the commit state to store ({@link BlockLayout#WRITING} for a file being
     *     written, {@link BlockLayout#COMMITTED} for an inline token)
     * @param payloadCrc the payload checksum to store, ignored unless the flag is set
     * @return a little-endian heap buffer positioned at 0 with {@link BlockHeader#preambleLength()} bytes
     */
    public ByteBuffer encode(int commitState, int payloadCrc) {
        byte[] metadata = metadata();
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(header.preambleLength())).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(BlockLayout.MAGIC_OFFSET, BlockLayout.MAGIC);
        out.putShort(BlockLayout.VERSION_OFFSET, (short) BlockLayout.VERSION);
        out.putShort(BlockLayout.HEADER_LENGTH_OFFSET, (short) BlockLayout.HEADER_LENGTH);
        out.putInt(BlockLayout.FLAGS_OFFSET, header.flags());
        out.putLong(BlockLayout.TOTAL_LENGTH_OFFSET, header.totalLength());
        out.putLong(BlockLayout.CREATED_OFFSET, header.createdMillis());
        out.putLong(BlockLayout.EXPIRES_OFFSET, header.expiresMillis());
        out.order(ByteOrder.BIG_ENDIAN);
        out.putLong(BlockLayout.OWNER_OFFSET, header.owner().high());
        out.putLong(BlockLayout.OWNER_OFFSET + 8, header.owner().low());
        out.order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(BlockLayout.PID_OFFSET, header.pid());
        out.putInt(BlockLayout.BUFFER_COUNT_OFFSET, header.bufferCount());
        out.putInt(BlockLayout.METADATA_LENGTH_OFFSET, header.metadataLength());
        out.putLong(BlockLayout.METADATA_OFFSET_OFFSET, header.metadataOffset());
        out.putInt(BlockLayout.PAYLOAD_CRC_OFFSET, header.hasPayloadCrc() ? payloadCrc : 0);
        out.put(BlockLayout.CODEC_ID_OFFSET, header.codecId().getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < buffers.size(); i++) {
            BufferDescriptor buffer = buffers.get(i);
            int entry = Math.toIntExact(BlockLayout.entryOffset(i));
            out.putLong(entry + BlockLayout.ENTRY_OFFSET, buffer.offset());
            out.putLong(entry + BlockLayout.ENTRY_LENGTH, buffer.length());
            out.put(entry + BlockLayout.ENTRY_ELEMENT_TYPE, (byte) buffer.elementType().code());
            long[] shape = buffer.shape();
            out.put(entry + BlockLayout.ENTRY_RANK, (byte) shape.length);
            for (int d = 0; d < shape.length; d++) {
                out.putLong(entry + BlockLayout.ENTRY_SHAPE + 8 * d, shape[d]);
            }
        }
        out.put(Math.toIntExact(header.metadataOffset()), metadata);
        out.putInt(BlockLayout.HEADER_CRC_OFFSET, headerCrc(out, out.capacity()));
        out.putInt(BlockLayout.COMMIT_OFFSET, commitState);
        return out;
    }

    /**
     * Computes the header checksum: CRC32C of the first {@code length} bytes with the commit state and
     * the header checksum fields taken as zero, so the value does not change when the block commits.
     *
     * @param preamble buffer holding the preamble from index 0
     * @param length preamble length
     * @return the checksum
     */
    static int headerCrc(ByteBuffer preamble, int length) {
        CRC32C crc = new CRC32C();
        updateHeaderCrc(crc, preamble, length);
        return (int) crc.getValue();
    }

    /**
     * Feeds the first {@code length} bytes of a preamble (at least the header) into a header checksum,
     * with the commit state and header checksum fields taken as zero.
     *
     * @param crc the checksum to update
     * @param preamble buffer holding the preamble from index 0
     * @param length bytes to take, at least {@link BlockLayout#HEADER_LENGTH}
     */
    static void updateHeaderCrc(CRC32C crc, ByteBuffer preamble, int length) {
        ByteBuffer view = preamble.duplicate();
        view.limit(length);
        byte[] zeros = new byte[4];
        updateRange(crc, view, 0, BlockLayout.COMMIT_OFFSET);
        crc.update(zeros);
        updateRange(crc, view, BlockLayout.COMMIT_OFFSET + 4, BlockLayout.HEADER_CRC_OFFSET);
        crc.update(zeros);
        updateRange(crc, view, BlockLayout.HEADER_CRC_OFFSET + 4, length);
    }

    private static void updateRange(CRC32C crc, ByteBuffer buffer, int from, int to) {
        crc.update(buffer.duplicate().position(from).limit(to));
    }

    /**
     * Returns the header.
     *
     * @return the header
     */
    public BlockHeader header() {
        return header;
    }

    /**
     * Returns the buffer table.
     *
     * @return the descriptors, unmodifiable
     */
    public List<BufferDescriptor> buffers() {
        return buffers;
    }

    /**
     * Tells whether this preamble holds the codec metadata bytes: planned preambles and those decoded
     * from inline tokens do; those decoded from block files leave them in the block (see
     * {@link BlockDecoder#decodePreamble(BlockHeader, BlockContent, String)}).
     *
     * @return true when {@link #metadata()} can return the bytes
     */
    public boolean holdsMetadata() {
        return metadata != null;
    }

    /**
     * Returns a copy of the codec metadata.
     *
     * @return the metadata bytes
     * @throws IllegalStateException when the metadata stayed in the block ({@link #holdsMetadata()} is
     *     false); read it from the block's content at {@link BlockHeader#metadataOffset()}
     */
    public byte[] metadata() {
        if (metadata == null) {
            throw new IllegalStateException("the codec metadata of this block was not read; read "
                    + header.metadataLength() + " bytes at offset " + header.metadataOffset() + " of its content");
        }
        return metadata.clone();
    }
}
