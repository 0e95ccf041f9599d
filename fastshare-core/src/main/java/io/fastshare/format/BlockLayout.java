package io.fastshare.format;

/**
 * Byte offsets of block format version 1, as specified in {@code docs/block-format.md}. Every
 * multi-byte field is little-endian. A block is:
 *
 * <pre>
 * +--------------------+ 0
 * | header (128 bytes) |
 * +--------------------+ 128
 * | buffer table       |  bufferCount entries of 64 bytes
 * +--------------------+ 128 + 64 * bufferCount
 * | codec metadata     |  metadataLength bytes
 * +--------------------+ (padding to 64)
 * | buffer 0           |  each buffer starts on a 64-byte boundary
 * | ...                |
 * +--------------------+ totalLength
 * </pre>
 *
 * <p>The commit state is the last field a writer stores; a reader trusts nothing before it sees
 * {@link #COMMITTED}.
 */
public final class BlockLayout {

    /** The four magic bytes {@code 'F' 'S' 'H' 'R'} read as a little-endian int. */
    public static final int MAGIC = 0x52485346;
    /** The format version this library writes and reads. */
    public static final int VERSION = 1;
    /** Length of the fixed header in bytes. */
    public static final int HEADER_LENGTH = 128;
    /** Length of one buffer-table entry in bytes. */
    public static final int TABLE_ENTRY_LENGTH = 64;
    /** Alignment of every buffer, relative to the start of the block. */
    public static final int BUFFER_ALIGNMENT = 64;
    /** Maximum number of shape dimensions per buffer. */
    public static final int MAX_RANK = 4;
    /** Maximum number of buffers in one block; bounds the table a reader allocates. */
    public static final int MAX_BUFFER_COUNT = 65_536;
    /** Maximum codec metadata length; bounds the metadata a reader allocates. */
    public static final int MAX_METADATA_LENGTH = 256 * 1024 * 1024;
    /** Maximum length of a codec id in bytes (ASCII). */
    public static final int CODEC_ID_LENGTH = 16;

    /** Commit state of a block whose writer has not finished (or died). */
    public static final int WRITING = 0;
    /** Commit state of a finished block: the ASCII bytes {@code 'C' 'M' 'I' 'T'} as a little-endian int. */
    public static final int COMMITTED = 0x54494D43;

    /** Flag bit: the header's payload checksum field holds a CRC32C of metadata and buffers. */
    public static final int FLAG_PAYLOAD_CRC = 1;
    /** Mask of the flag bits this version understands; any other bit set makes a block unreadable. */
    public static final int KNOWN_FLAGS = FLAG_PAYLOAD_CRC;

    // Header fields.
    /** u32 magic. */
    public static final int MAGIC_OFFSET = 0;
    /** u16 format version. */
    public static final int VERSION_OFFSET = 4;
    /** u16 header length. */
    public static final int HEADER_LENGTH_OFFSET = 6;
    /** u32 commit state, written last. */
    public static final int COMMIT_OFFSET = 8;
    /** u32 flags. */
    public static final int FLAGS_OFFSET = 12;
    /** u64 total length of the block in bytes. */
    public static final int TOTAL_LENGTH_OFFSET = 16;
    /** i64 creation time, milliseconds since the epoch. */
    public static final int CREATED_OFFSET = 24;
    /** i64 expiry time, milliseconds since the epoch, 0 for none. */
    public static final int EXPIRES_OFFSET = 32;
    /** 16 bytes owner id. */
    public static final int OWNER_OFFSET = 40;
    /** Length of the owner id. */
    public static final int OWNER_LENGTH = 16;
    /** i64 writer process id, diagnostic only. */
    public static final int PID_OFFSET = 56;
    /** u32 number of buffer-table entries. */
    public static final int BUFFER_COUNT_OFFSET = 64;
    /** u32 codec metadata length. */
    public static final int METADATA_LENGTH_OFFSET = 68;
    /** u64 codec metadata offset. */
    public static final int METADATA_OFFSET_OFFSET = 72;
    /** u32 CRC32C of the buffers (table order, padding excluded) when {@link #FLAG_PAYLOAD_CRC} is set, else 0. */
    public static final int PAYLOAD_CRC_OFFSET = 80;
    /** u32 CRC32C of header, table and metadata, computed with the commit and this field as zero. */
    public static final int HEADER_CRC_OFFSET = 84;
    /** 16 bytes codec id, ASCII, zero-padded. */
    public static final int CODEC_ID_OFFSET = 88;
    /** Start of the reserved, zero bytes up to the end of the header. */
    public static final int RESERVED_OFFSET = 104;

    // Buffer-table entry fields, relative to the entry.
    /** u64 buffer offset from the start of the block. */
    public static final int ENTRY_OFFSET = 0;
    /** u64 buffer length in bytes. */
    public static final int ENTRY_LENGTH = 8;
    /** u8 element type code. */
    public static final int ENTRY_ELEMENT_TYPE = 16;
    /** u8 number of shape dimensions. */
    public static final int ENTRY_RANK = 17;
    /** u64[4] shape dimensions. */
    public static final int ENTRY_SHAPE = 24;
    /** Start of the reserved bytes of an entry. */
    public static final int ENTRY_RESERVED = 56;

    private BlockLayout() {
    }

    /**
     * Rounds a position up to the buffer alignment.
     *
     * @param position a non-negative position
     * @return the smallest multiple of {@link #BUFFER_ALIGNMENT} not below {@code position}
     */
    public static long align(long position) {
        return (position + BUFFER_ALIGNMENT - 1) & -BUFFER_ALIGNMENT;
    }

    /**
     * Returns the offset of the buffer table entry with the given index.
     *
     * @param index entry index
     * @return offset from the start of the block
     */
    public static long entryOffset(int index) {
        return HEADER_LENGTH + (long) index * TABLE_ENTRY_LENGTH;
    }
}
