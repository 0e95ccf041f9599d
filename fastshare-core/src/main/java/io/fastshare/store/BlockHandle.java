package io.fastshare.store;

import io.fastshare.BlockNotFoundException;
import io.fastshare.FastShareException;
import io.fastshare.format.BlockContent;
import io.fastshare.format.BlockPreamble;

/**
 * One open, validated block of a {@link BlockStore} (Aeron's {@code RawLog}): its preamble and its
 * bytes, readable until the handle is closed, whatever happens to the block meanwhile.
 *
 * <p>A claim-once {@code take} reads through the handle first and claims last, so everything that can
 * fail (type, checksum, decoding, interruption) fails while the block is still in the store.
 *
 * <p>Not thread-safe: one thread opens, reads, claims and closes.
 */
public interface BlockHandle extends AutoCloseable {

    /**
     * Returns the block's key in its store.
     *
     * @return the key
     */
    String key();

    /**
     * Returns the validated preamble.
     *
     * @return header, buffer table and metadata
     */
    BlockPreamble preamble();

    /**
     * Returns content for copying reads, valid until this handle is closed. The handle owns it.
     *
     * @return the content
     */
    BlockContent content();

    /**
     * Returns zero-copy content for {@code open()}: views over the store's memory. The caller owns it:
     * it stays valid after this handle is closed, until the content itself is closed. Call at most once.
     *
     * @return the content
     * @throws FastShareException when the block cannot be mapped
     */
    BlockContent view();

    /**
     * Claims the block: removes it from the store for every other reader, atomically across processes.
     * This handle keeps its bytes.
     *
     * @throws BlockNotFoundException when another reader took or released the block first
     * @throws FastShareException when the claim failed for another reason; the block is then still there
     */
    void claim();

    /**
     * Closes the handle and the copying content. Idempotent.
     */
    @Override
    void close();
}
