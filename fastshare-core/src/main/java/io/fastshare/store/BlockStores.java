package io.fastshare.store;

import io.fastshare.AllocationException;
import io.fastshare.FastShareException;
import io.fastshare.InterruptedFastShareException;
import io.fastshare.InvalidTokenException;
import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.codec.PayloadBuffer;
import io.fastshare.format.BlockPreamble;
import io.fastshare.token.Token;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A template's stores: the ordered write chain and the lookup of a store by token kind. A write goes
 * to the first store of the chain that takes it; a store that cannot ({@link AllocationException})
 * passes it to the next. Reads go to the store of the token's kind, whether or not that store is in
 * the write chain: a consumer reads every token kind it has a store for.
 *
 * <p>Immutable and thread-safe (as thread-safe as its stores).
 */
public final class BlockStores implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BlockStores.class);

    private final List<BlockStore> writeChain;
    private final Map<String, BlockStore> byKind;
    private final List<BlockStore> all;

    /**
     * Creates the registry.
     *
     * @param writeChain stores that take writes, in the order they are tried; may be empty (then every
     *     write fails with {@link AllocationException})
     * @param readOnly further stores that only serve reads
     * @throws IllegalArgumentException when two stores serve the same kind, or a kind is not a valid
     *     token kind
     */
    public BlockStores(List<BlockStore> writeChain, List<BlockStore> readOnly) {
        this.writeChain = List.copyOf(writeChain);
        Map<String, BlockStore> kinds = new LinkedHashMap<>();
        List<BlockStore> all = new ArrayList<>(writeChain);
        all.addAll(readOnly);
        for (BlockStore store : all) {
            String kind = store.kind();
            if (!Token.isValidKind(kind) || Token.INLINE_KIND.equals(kind)) {
                throw new IllegalArgumentException("store " + store + " has an invalid token kind: " + kind);
            }
            BlockStore before = kinds.putIfAbsent(kind, store);
            if (before != null && before != store) {
                throw new IllegalArgumentException("two stores serve token kind '" + kind + "': " + before + " and "
                        + store);
            }
        }
        this.byKind = Map.copyOf(kinds);
        this.all = List.copyOf(kinds.values());
    }

    /**
     * Writes a block to the first store of the write chain that takes it.
     *
     * @param preamble the planned preamble
     * @param buffers the payload buffers
     * @return the written block
     * @throws AllocationException when no store of the chain could take it; the message names each
     *     store's reason
     * @throws InterruptedFastShareException when the thread was interrupted; nothing was written
     * @throws FastShareException when a store failed otherwise (not passed on to the next store: a
     *     broken store must be seen, not hidden by a fall-through)
     */
    public StoredBlock write(BlockPreamble preamble, List<PayloadBuffer> buffers) {
        if (writeChain.isEmpty()) {
            throw new AllocationException("no block store takes writes in this template");
        }
        AllocationException failure = null;
        StringBuilder reasons = new StringBuilder();
        for (BlockStore store : writeChain) {
            try {
                return store.write(preamble, buffers);
            } catch (AllocationException e) {
                FastShareException interrupted = InterruptedFastShareException.translate(e, "write to the "
                        + store.kind() + " store was interrupted; nothing was written");
                if (interrupted != e) {
                    // An interrupted thread must stop, not fall through to the next store or inline.
                    throw interrupted;
                }
                if (failure != null) {
                    log.debug("fastshare store {} could not take a block either: {}", store.kind(), e.getMessage());
                    reasons.append("; ");
                }
                reasons.append(writeChain.size() > 1 ? store.kind() + ": " : "").append(e.getMessage());
                failure = e;
            }
        }
        if (writeChain.size() == 1) {
            throw failure;
        }
        throw new AllocationException(reasons.toString(), failure);
    }

    /**
     * Returns the store of a token's kind, having checked the key's syntax with it.
     *
     * @param token a parsed stored token
     * @return the store
     * @throws InvalidTokenException when no store serves the kind, or the key is not valid for it
     */
    public BlockStore forToken(Token.Stored token) {
        BlockStore store = byKind.get(token.kind());
        if (store == null) {
            throw new InvalidTokenException("token kind '" + token.kind() + "' is not served by any block store of "
                    + "this template (it has " + byKind.keySet() + "); add the store that wrote it");
        }
        if (!store.isValidKey(token.key())) {
            throw new InvalidTokenException("invalid key in token " + Token.abbreviate(token.value()) + " for the "
                    + token.kind() + " store");
        }
        return store;
    }

    /**
     * Returns the store serving a kind.
     *
     * @param kind a token kind
     * @return the store, or empty
     */
    public Optional<BlockStore> forKind(String kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    /**
     * Returns every store, the write chain first.
     *
     * @return the stores
     */
    public List<BlockStore> all() {
        return all;
    }

    /**
     * Returns the write chain.
     *
     * @return stores in the order writes try them
     */
    public List<BlockStore> writeChain() {
        return writeChain;
    }

    /**
     * Returns the usage of every store.
     *
     * @return one entry per store, the write chain first
     */
    public List<StoreUsage> usage() {
        List<StoreUsage> usage = new ArrayList<>(all.size());
        for (BlockStore store : all) {
            usage.add(store.usage());
        }
        return usage;
    }

    /**
     * Lists the blocks of every store.
     *
     * @return the blocks, store by store, each store's sorted by key
     */
    public List<BlockInfo> blocks() {
        List<BlockInfo> blocks = new ArrayList<>();
        for (BlockStore store : all) {
            blocks.addAll(store.blocks());
        }
        return blocks;
    }

    /**
     * Cleans every store and adds the results up.
     *
     * @param options dry run and grace period
     * @return the combined result
     */
    public CleanupResult cleanup(CleanupOptions options) {
        List<CleanupResult.Reclaimed> cleaned = new ArrayList<>();
        List<CleanupResult.Failure> failed = new ArrayList<>();
        List<CleanupResult.Skipped> skipped = new ArrayList<>();
        List<String> leases = new ArrayList<>();
        long bytes = 0;
        for (BlockStore store : all) {
            CleanupResult result = store.cleanup(options);
            cleaned.addAll(result.cleaned());
            failed.addAll(result.failed());
            skipped.addAll(result.skipped());
            leases.addAll(result.leasesReclaimed());
            bytes += result.bytesReclaimed();
        }
        return new CleanupResult(cleaned, failed, skipped, bytes, options.dryRun(), leases);
    }

    /**
     * Releases the blocks every store holds for its template.
     *
     * @return blocks released
     */
    public int releaseOwned() {
        int released = 0;
        for (BlockStore store : all) {
            released += store.releaseOwned();
        }
        return released;
    }

    /**
     * Closes every store, in reverse order; a failure is logged and the others still close.
     */
    @Override
    public void close() {
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (RuntimeException e) {
                log.warn("fastshare store {} failed to close", all.get(i), e);
            }
        }
    }
}
