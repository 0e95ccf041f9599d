package io.fastshare.store;

import io.fastshare.AllocationException;
import io.fastshare.BlockNotFoundException;
import io.fastshare.FastShareException;
import io.fastshare.SettingNames;
import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.cleanup.Janitor;
import io.fastshare.codec.PayloadBuffer;
import io.fastshare.format.BlockContent;
import io.fastshare.format.BlockName;
import io.fastshare.format.BlockPreamble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one-file-per-block store, token kind {@code shm}: each block is a file {@code FSHR_<32 hex>} in
 * the block directory (a tmpfs such as {@code /dev/shm}), written by {@link BlockWriter}, read through
 * {@link BlockFile}, listed and reclaimed by the {@link Janitor}. A claim is the unlink of the file,
 * which the kernel grants to exactly one process; open readers keep the unlinked inode.
 *
 * <p>Holds the live-bytes quota: the blocks this template wrote and has not seen released
 * ({@link OwnedBlocks}).
 *
 * <p>Thread-safe.
 */
public final class FileBlockStore implements BlockStore {

    /** Token kind of file blocks: {@code FSHR:shm:FSHR_<32 hex>}. */
    public static final String KIND = "shm";

    private static final Logger log = LoggerFactory.getLogger(FileBlockStore.class);

    private final BlockDirectory directory;
    private final StoreContext context;
    private final BlockWriter writer;
    private final Janitor janitor;
    private final OwnedBlocks owned = new OwnedBlocks();
    private final long maxLiveBytes;
    private final String maxLiveSetting;

    /**
     * Creates the store whose quota message names the builder's setting.
     *
     * @param context the template's directory, owner, clock and randomness
     * @param maxLiveBytes quota of bytes this store keeps for its template at once, {@code Long.MAX_VALUE}
     *     for none
     * @param beforeCommit called after a block's payload is written and before its commit marker; a
     *     hook for crash tests, normally a no-op
     */
    public FileBlockStore(StoreContext context, long maxLiveBytes, Consumer<BlockName> beforeCommit) {
        this(context, maxLiveBytes, beforeCommit, SettingNames.BUILDER.maxLiveSize());
    }

    /**
     * Creates the store.
     *
     * @param context the template's directory, owner, clock and randomness
     * @param maxLiveBytes quota of bytes this store keeps for its template at once, {@code Long.MAX_VALUE}
     *     for none
     * @param beforeCommit called after a block's payload is written and before its commit marker; a
     *     hook for crash tests, normally a no-op
     * @param maxLiveSetting the setting named when the quota refuses a write, such as
     *     {@code fastshare.max-live-size}
     */
    public FileBlockStore(StoreContext context, long maxLiveBytes, Consumer<BlockName> beforeCommit,
            String maxLiveSetting) {
        this(context, maxLiveBytes, beforeCommit, maxLiveSetting, MemoryBudget.of(null, MemoryBudget.DEFAULT_SHARE));
    }

    /**
     * Creates the store with a memory-cgroup budget that every block write must fit (tmpfs pages are
     * charged to the writer's memory cgroup).
     *
     * @param context the template's directory, owner, clock and randomness
     * @param maxLiveBytes quota of bytes this store keeps for its template at once, {@code Long.MAX_VALUE}
     *     for none
     * @param beforeCommit called after a block's payload is written and before its commit marker
     * @param maxLiveSetting the setting named when the quota refuses a write
     * @param memory the writer's memory-cgroup budget
     */
    public FileBlockStore(StoreContext context, long maxLiveBytes, Consumer<BlockName> beforeCommit,
            String maxLiveSetting, MemoryBudget memory) {
        this.maxLiveSetting = Objects.requireNonNull(maxLiveSetting, "maxLiveSetting");
        this.context = Objects.requireNonNull(context, "context");
        this.directory = context.directory();
        this.maxLiveBytes = maxLiveBytes;
        this.writer = new BlockWriter(directory, beforeCommit, memory);
        this.janitor = new Janitor(directory, context.owner(), context.clock());
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean isValidKey(String key) {
        return BlockName.isValid(key);
    }

    /**
     * Returns the block directory.
     *
     * @return the directory
     */
    public BlockDirectory directory() {
        return directory;
    }

    /**
     * Returns the janitor of the block directory, which treats this store's owner as alive.
     *
     * @return the janitor
     */
    public Janitor janitor() {
        return janitor;
    }

    @Override
    public StoredBlock write(BlockPreamble preamble, List<PayloadBuffer> buffers) {
        long size = preamble.header().totalLength();
        BlockName name = BlockName.random(context.random());
        reserve(name, size);
        boolean written = false;
        try {
            writer.write(name, preamble, buffers);
            owned.written(name);
            written = true;
            return new StoredBlock(KIND, name.value(), size);
        } finally {
            if (!written) {
                owned.remove(name);
            }
        }
    }

    private void reserve(BlockName name, long size) {
        if (owned.tryAdd(name, size, maxLiveBytes)) {
            return;
        }
        owned.reconcile(directory);
        if (!owned.tryAdd(name, size, maxLiveBytes)) {
            throw new AllocationException("live-bytes quota reached: this process holds " + owned.bytes()
                    + " bytes in " + owned.count() + " blocks, a " + size + "-byte block would exceed the limit of "
                    + maxLiveBytes + " bytes; release blocks or raise " + maxLiveSetting);
        }
    }

    @Override
    public BlockHandle open(String key) {
        BlockName name = new BlockName(key);
        return new FileHandle(BlockFile.open(directory, name));
    }

    @Override
    public boolean release(String key) {
        BlockName name = new BlockName(key);
        owned.remove(name);
        Path file = directory.resolve(name);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                // Gone, or something planted under a block name (link, FIFO, directory): not ours to delete.
                return false;
            }
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new FastShareException("cannot release block " + name + ": " + e, e);
        }
    }

    @Override
    public int releaseOwned() {
        int released = 0;
        for (BlockName name : owned.names()) {
            try {
                if (release(name.value())) {
                    released++;
                }
            } catch (FastShareException e) {
                log.warn("fastshare could not release block {} on close: {}", name, e.getMessage());
            }
        }
        return released;
    }

    @Override
    public StoreUsage usage() {
        owned.reconcile(directory);
        return new StoreUsage(KIND, owned.count(), owned.bytes(), directory.totalSpace(), directory.usableSpace());
    }

    @Override
    public List<BlockInfo> blocks() {
        return janitor.scan();
    }

    @Override
    public Optional<BlockInfo> block(String key) {
        return janitor.inspect(key);
    }

    @Override
    public CleanupResult cleanup(CleanupOptions options) {
        CleanupResult result = janitor.cleanup(options);
        if (!options.dryRun()) {
            owned.reconcile(directory);
        }
        return result;
    }

    @Override
    public void close() {
        // Nothing held between calls: every read and write opens and closes its own channel.
    }

    @Override
    public String toString() {
        return "file store " + directory;
    }

    /** An open block file; the claim unlinks it, the open channel keeps its bytes. */
    private final class FileHandle implements BlockHandle {

        private final BlockFile file;

        private FileHandle(BlockFile file) {
            this.file = file;
        }

        @Override
        public String key() {
            return file.name().value();
        }

        @Override
        public BlockPreamble preamble() {
            return file.preamble();
        }

        @Override
        public BlockContent content() {
            return file.copyingContent();
        }

        @Override
        public BlockContent view() {
            return file.map();
        }

        @Override
        public void claim() {
            try {
                Files.delete(file.path());
                owned.remove(file.name());
            } catch (NoSuchFileException e) {
                throw new BlockNotFoundException("block " + file.name() + " was taken or released by another "
                        + "reader just now; a token can be taken once", e);
            } catch (IOException e) {
                throw new FastShareException("cannot claim block " + file.name() + ": " + e
                        + "; it was not taken and is still there", e);
            }
        }

        @Override
        public void close() {
            file.close();
        }
    }
}
