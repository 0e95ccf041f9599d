package io.fastshare.store;

import io.fastshare.AllocationException;
import io.fastshare.BlockNotFoundException;
import io.fastshare.CorruptBlockException;
import io.fastshare.FastShareException;
import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.codec.PayloadBuffer;
import io.fastshare.format.BlockPreamble;

import java.util.List;
import java.util.Optional;

/**
 * Where encoded blocks live between a writer and its readers: the seam between
 * {@link io.fastshare.SharedMemoryTemplate} (codec choice, inline or stored placement, listeners, load
 * cache) and the memory that holds blocks. In Aeron's terms the template is the publication and a store
 * is its {@code LogFactory}: it creates, finds and frees the raw blocks, while the block format
 * ({@link io.fastshare.format}) stays the same in every store, so decoders and codecs never change.
 *
 * <p>Each store serves one token kind: a block it holds travels as {@code FSHR:<kind>:<key>}. The
 * one-file-per-block store ({@link FileBlockStore}, kind {@code shm}) is always present; other stores
 * (a pool of reused segments, a remote store) are added with
 * {@link io.fastshare.SharedMemoryTemplate.Builder#store(BlockStoreFactory)}. The template writes to
 * the first store of its write chain that takes the block (a store that cannot throws
 * {@link AllocationException}, the template then tries the next, then its inline fallback) and reads
 * every token kind it has a store for.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #isValidKey} is a pure syntax check; every method taking a key calls it (or relies on the
 *       template having called it) before touching anything, so a forged token cannot name anything
 *       outside the store.</li>
 *   <li>{@link #write} is all or nothing: a block is readable only once completely written (commit
 *       last), and a failed or interrupted write leaves nothing readable behind.</li>
 *   <li>{@link #open} validates the block (header, buffer table, lengths) before it returns; the handle
 *       keeps the bytes readable until it is closed, even when the block is released or claimed
 *       meanwhile.</li>
 *   <li>{@link BlockHandle#claim()} is claim-once across every process sharing the store: of several
 *       handles on one block, exactly one claim succeeds.</li>
 *   <li>Blocks of a writer that died are reclaimed (by {@link #cleanup} or by the store's own expiry),
 *       never while their owner lives and their TTL runs.</li>
 * </ul>
 *
 * <p>Implementations must be thread-safe: one instance serves every thread of its template.
 */
public interface BlockStore extends AutoCloseable {

    /**
     * Returns the token kind this store serves: 1 to 16 lower-case letters and digits, starting with a
     * letter, never {@code inl}. Stable across versions: it is part of every token the store hands out.
     *
     * @return the kind, such as {@code shm}
     */
    String kind();

    /**
     * Tells whether a key has this store's syntax. Touches nothing; must be fast.
     *
     * @param key a key from a token, already within the general token grammar
     * @return true when this store could hold a block of that key
     */
    boolean isValidKey(String key);

    /**
     * Writes and commits a block.
     *
     * @param preamble the planned preamble, whose buffer table matches {@code buffers}
     * @param buffers the payload buffers, in table order
     * @return the new block's key and size
     * @throws AllocationException when this store cannot take the block now (full, over quota, not
     *     reachable); nothing is left behind and the template tries the next store
     * @throws FastShareException on any other failure; nothing is left behind
     */
    StoredBlock write(BlockPreamble preamble, List<PayloadBuffer> buffers);

    /**
     * Opens a block for reading and validates it.
     *
     * @param key a key for which {@link #isValidKey} is true
     * @return the open handle; the caller closes it
     * @throws BlockNotFoundException when there is no such block (released, taken, reclaimed, or never
     *     in this store)
     * @throws CorruptBlockException when the block is not a valid committed block
     * @throws FastShareException when the store cannot be read (I/O error, interruption)
     */
    BlockHandle open(String key);

    /**
     * Releases a block: it is gone for later readers; handles already open keep their bytes.
     * Idempotent; any process holding the token may release.
     *
     * @param key a key for which {@link #isValidKey} is true
     * @return true when this call removed the block, false when it was already gone
     * @throws FastShareException when the block exists but cannot be removed
     */
    boolean release(String key);

    /**
     * Releases every block this store wrote for its template and still holds (release on close).
     * Failures are logged, not thrown.
     *
     * @return the number of blocks released
     */
    int releaseOwned();

    /**
     * Returns what this template holds in the store and what room the store has. Cheap enough for a
     * metrics gauge: no listing.
     *
     * @return the usage
     */
    StoreUsage usage();

    /**
     * Lists every block in the store, of every writer, with its state, for the janitor, the actuator
     * endpoint and the CLI.
     *
     * @return the blocks, sorted by key
     * @throws FastShareException when the store cannot be listed
     */
    List<BlockInfo> blocks();

    /**
     * Looks at one block.
     *
     * @param key a key for which {@link #isValidKey} is true
     * @return the block, or empty when it does not exist
     */
    Optional<BlockInfo> block(String key);

    /**
     * Reclaims what nobody can still need: expired blocks, blocks of dead writers after the grace
     * period, and the store's own leftovers. Never a live block of a live writer. A store whose blocks
     * expire on their own returns an empty result.
     *
     * @param options dry run and grace period
     * @return what was (or would be) reclaimed, skipped and failed
     * @throws FastShareException when the store cannot be listed
     */
    CleanupResult cleanup(CleanupOptions options);

    /**
     * Frees what the store holds in this process (channels, mappings, connections). Does not release
     * blocks ({@link #releaseOwned()} does). Idempotent.
     */
    @Override
    void close();
}
