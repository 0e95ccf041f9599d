package io.fastshare.format;

/**
 * The fixed 128-byte header of a block, decoded. See {@link BlockLayout} for the offsets.
 *
 * @param commitState {@link BlockLayout#COMMITTED} or {@link BlockLayout#WRITING} (or garbage in a corrupt block)
 * @param flags flag bits, see {@link BlockLayout#FLAG_PAYLOAD_CRC}
 * @param totalLength length of the whole block in bytes
 * @param createdMillis creation time, epoch milliseconds
 * @param expiresMillis expiry time, epoch milliseconds, 0 when the block has no TTL
 * @param owner the writer's owner id
 * @param pid the writer's process id, diagnostic only (meaningless across PID namespaces)
 * @param bufferCount number of buffer-table entries
 * @param metadataOffset position of the codec metadata
 * @param metadataLength length of the codec metadata in bytes
 * @param payloadCrc CRC32C of metadata and buffers when the flag is set
 * @param headerCrc CRC32C of header, table and metadata
 * @param codecId id of the codec that wrote the payload
 */
public record BlockHeader(
        int commitState,
        int flags,
        long totalLength,
        long createdMillis,
        long expiresMillis,
        OwnerId owner,
        long pid,
        int bufferCount,
        long metadataOffset,
        int metadataLength,
        int payloadCrc,
        int headerCrc,
        String codecId) {

    /**
     * Tells whether the writer finished the block.
     *
     * @return true when the commit state is {@link BlockLayout#COMMITTED}
     */
    public boolean committed() {
        return commitState == BlockLayout.COMMITTED;
    }

    /**
     * Tells whether the block carries a payload checksum.
     *
     * @return true when {@link BlockLayout#FLAG_PAYLOAD_CRC} is set
     */
    public boolean hasPayloadCrc() {
        return (flags & BlockLayout.FLAG_PAYLOAD_CRC) != 0;
    }

    /**
     * Tells whether the block has a TTL.
     *
     * @return true when an expiry time is set
     */
    public boolean hasExpiry() {
        return expiresMillis != 0;
    }

    /**
     * Returns the length of header, buffer table and metadata: where the first buffer may start.
     *
     * @return preamble length in bytes
     */
    public long preambleLength() {
        return metadataOffset + metadataLength;
    }
}
