package io.fastshare;

import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.cleanup.Janitor;
import io.fastshare.codec.CodecRegistry;
import io.fastshare.codec.ContentPayloadReader;
import io.fastshare.codec.EncodedPayload;
import io.fastshare.codec.JavaSerializationCodec;
import io.fastshare.codec.PayloadBuffer;
import io.fastshare.codec.PayloadCodec;
import io.fastshare.codec.RawCodec;
import io.fastshare.codec.TypeAllowList;
import io.fastshare.codec.json.JsonCodec;
import io.fastshare.format.BlockContent;
import io.fastshare.format.BlockDecoder;
import io.fastshare.format.BlockHeader;
import io.fastshare.format.BlockName;
import io.fastshare.format.BlockPreamble;
import io.fastshare.format.BufferSpec;
import io.fastshare.format.HeapBlockContent;
import io.fastshare.format.OwnerId;
import io.fastshare.format.PayloadChecksum;
import io.fastshare.store.BlockDirectory;
import io.fastshare.store.BlockFile;
import io.fastshare.store.BlockWriter;
import io.fastshare.store.OwnedBlocks;
import io.fastshare.store.OwnerLease;
import io.fastshare.token.InlineBlockEncoder;
import io.fastshare.token.Token;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The entry point: hands payloads to co-located processes through shared memory and passes only a
 * short token.
 *
 * <pre>{@code
 * try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().build()) {
 *     String token = template.write(embeddings);            // writer
 *     float[] copy = template.read(token, float[].class);   // reader, in any process on the host
 * }
 * }</pre>
 *
 * <p>Payloads whose encoded size is below the {@linkplain Builder#threshold threshold} travel inside
 * the token ({@code FSHR:inl:...}); larger ones go to a block file in the block directory
 * ({@code FSHR:shm:FSHR_...}). Blocks carry a TTL (default 10 minutes) after which any process's
 * janitor may reclaim them; {@link #release} and {@link #take} free them earlier.
 *
 * <p>Each template holds an owner lease for its lifetime; {@link #close()} releases it and, by
 * default, the blocks it wrote and still owns.
 *
 * <p>Thread-safe: one instance serves a whole application.
 */
public final class SharedMemoryTemplate implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SharedMemoryTemplate.class);

    private final BlockDirectory directory;
    private final OwnerLease lease;
    private final Janitor janitor;
    private final BlockWriter writer;
    private final OwnedBlocks owned = new OwnedBlocks();
    private final CodecRegistry codecs;
    private final SecureRandom random;
    private final Clock clock;
    private final long pid = ProcessHandle.current().pid();
    private final long threshold;
    private final Duration defaultTtl;
    private final long maxLiveBytes;
    private final long maxInlineSize;
    private final Fallback fallback;
    private final boolean releaseOnClose;
    private final boolean checksums;
    private final List<FastShareListener> listeners;
    private final LoadCache loaded = new LoadCache();
    private volatile boolean closed;

    private SharedMemoryTemplate(Builder builder) {
        this.random = new SecureRandom();
        this.clock = builder.clock;
        this.threshold = builder.threshold;
        this.defaultTtl = builder.defaultTtl;
        this.maxLiveBytes = builder.maxLiveBytes;
        this.maxInlineSize = builder.maxInlineSize;
        this.fallback = builder.fallback;
        this.releaseOnClose = builder.releaseOnClose;
        this.checksums = builder.checksums;
        this.listeners = List.copyOf(builder.listeners);
        this.codecs = new CodecRegistry(builder.codecList());
        this.directory = BlockDirectory.open(builder.directory != null ? builder.directory : BlockDirectory.defaultPath(),
                builder.filePermissions);
        this.lease = OwnerLease.acquire(directory, random);
        this.writer = new BlockWriter(directory, builder.beforeCommit);
        this.janitor = new Janitor(directory, lease.owner(), clock);
        log.debug("fastshare template ready: directory={}, owner={}, threshold={} bytes", directory, lease.owner(),
                threshold);
    }

    /**
     * Starts building a template.
     *
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- write

    /**
     * Writes a payload with the default options and returns its token.
     *
     * @param payload the value; a raw type ({@code byte[]}, {@code ByteBuffer}, {@code String}, a
     *     primitive array) or any type a registered codec accepts
     * @return the token to hand to the reader
     * @throws CodecException when no codec accepts the payload
     * @throws AllocationException when shared memory is unavailable and the fallback is off or the
     *     payload is over the inline limit
     * @throws TemplateClosedException after {@link #close()}
     */
    public String write(Object payload) {
        return write(payload, WriteOptions.defaults());
    }

    /**
     * Writes a payload and returns its token.
     *
     * @param payload the value
     * @param options TTL, placement and checksum for this write
     * @return the token to hand to the reader
     * @throws CodecException when no codec accepts the payload
     * @throws AllocationException when shared memory is unavailable and the fallback is off or the
     *     payload is over the inline limit
     * @throws TemplateClosedException after {@link #close()}
     */
    public String write(Object payload, WriteOptions options) {
        return store(payload, options).token();
    }

    /** A written payload: its token and the size of its encoded block. */
    private record Stored(String token, long size) {
    }

    private Stored store(Object payload, WriteOptions options) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(options, "options");
        long start = System.nanoTime();
        try {
            checkOpen();
            PayloadCodec codec = codecs.forValue(payload);
            EncodedPayload encoded = encode(codec, payload);
            long now = clock.millis();
            Duration ttl = options.effectiveTtl(defaultTtl);
            long expires = ttl == null ? 0 : now + ttl.toMillis();
            BlockPreamble preamble = plan(codec, encoded, now, expires, options.effectiveChecksum(checksums));
            long size = preamble.header().totalLength();
            WriteOptions.Placement placement = options.placement();
            if (placement == WriteOptions.Placement.INLINE
                    || (placement == WriteOptions.Placement.AUTO && size < options.effectiveThreshold(threshold))) {
                String token = inline(preamble, encoded, "inline placement");
                notifyWrite(TransferPath.INLINE, size, start);
                return new Stored(token, size);
            }
            try {
                String token = writeShared(preamble, encoded);
                notifyWrite(TransferPath.SHM, size, start);
                return new Stored(token, size);
            } catch (AllocationException e) {
                if (placement == WriteOptions.Placement.SHARED || fallback == Fallback.FAIL) {
                    throw e;
                }
                if (size > maxInlineSize) {
                    throw new AllocationException(e.getMessage() + "; the inline fallback is not possible either: the "
                            + "payload (" + size + " bytes) is over the inline limit of " + maxInlineSize + " bytes", e);
                }
                log.warn("fastshare falls back to an inline token for a {}-byte payload: {}", size, e.getMessage());
                String token = inline(preamble, encoded, "fallback");
                notifyWrite(TransferPath.FALLBACK, size, start);
                return new Stored(token, size);
            }
        } catch (FastShareException e) {
            notifyWriteFailed(e, start);
            throw e;
        }
    }

    private static EncodedPayload encode(PayloadCodec codec, Object payload) {
        try {
            return codec.encode(payload);
        } catch (FastShareException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("codec '" + codec.id() + "' failed to encode " + payload.getClass().getName()
                    + ": " + e, e);
        }
    }

    private BlockPreamble plan(PayloadCodec codec, EncodedPayload encoded, long now, long expires, boolean checksum) {
        List<BufferSpec> specs = new ArrayList<>(encoded.buffers().size());
        for (PayloadBuffer buffer : encoded.buffers()) {
            specs.add(buffer.spec());
        }
        try {
            return BlockPreamble.plan(codec.id(), encoded.metadata(), specs, lease.owner(), pid, now, expires, checksum);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new CodecException("payload cannot be laid out as a block: " + e.getMessage(), e);
        }
    }

    private String inline(BlockPreamble preamble, EncodedPayload encoded, String why) {
        long size = preamble.header().totalLength();
        if (size > maxInlineSize) {
            throw new AllocationException("payload of " + size + " bytes is over the inline limit of " + maxInlineSize
                    + " bytes (" + why + "); write it to shared memory or raise the max inline size");
        }
        return new Token.Inline(InlineBlockEncoder.encode(preamble, encoded.buffers())).value();
    }

    private String writeShared(BlockPreamble preamble, EncodedPayload encoded) {
        long size = preamble.header().totalLength();
        BlockName name = BlockName.random(random);
        reserve(name, size);
        boolean written = false;
        try {
            writer.write(name, preamble, encoded.buffers());
            written = true;
            return new Token.Shared(name).value();
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
                    + maxLiveBytes + " bytes; release blocks or raise the quota");
        }
    }

    // ---------------------------------------------------------------- read

    /**
     * Reads a payload as an independent heap copy, safe to keep for ever.
     *
     * @param token a token from {@link #write}
     * @param type the expected type
     * @param <T> the expected type
     * @return the value
     * @throws InvalidTokenException when the token is malformed
     * @throws BlockNotFoundException when the block is gone
     * @throws CorruptBlockException when the block is not a valid committed block
     * @throws CodecException when the payload is not of the expected type
     */
    public <T> T read(String token, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return cast(readValue(token, type, false), type);
    }

    /**
     * Reads a payload of a generic type as an independent heap copy.
     *
     * @param token a token from {@link #write}
     * @param type the expected type, for example from a {@code TypeReference}
     * @return the value
     * @throws FastShareException as {@link #read(String, Class)}
     */
    public Object read(String token, Type type) {
        Objects.requireNonNull(type, "type");
        return readValue(token, type, false);
    }

    /**
     * Reads a payload of a generic type as an independent heap copy:
     * {@code List<Point> points = template.read(token, new TypeReference<List<Point>>() {});}.
     *
     * @param token a token from {@link #write}
     * @param type the expected type
     * @param <T> the expected type
     * @return the value
     * @throws FastShareException as {@link #read(String, Class)}
     */
    @SuppressWarnings("unchecked")
    public <T> T read(String token, TypeReference<T> type) {
        Objects.requireNonNull(type, "type");
        return (T) readValue(token, type.getType(), false);
    }

    /**
     * Reads a payload without naming its type: raw payloads come back as their own type
     * ({@code float[]}, {@code String}, ...). A structured payload (JSON or Java serialisation) is
     * rebuilt only from classes matching {@link Builder#allowedTypes}; prefer a typed read.
     *
     * @param token a token from {@link #write}
     * @return the value
     * @throws CodecException when a structured payload needs a class outside the allow-list
     * @throws FastShareException as {@link #read(String, Class)}
     */
    public Object read(String token) {
        return readValue(token, Object.class, false);
    }

    /**
     * Reads a payload, then releases its block: a claim-once handoff. Of several processes taking the
     * same token, exactly one gets the payload; the others get {@link BlockNotFoundException}. The
     * block file is unlinked before the payload is decoded, so nothing is left if the taker crashes.
     *
     * @param token a token from {@link #write}
     * @param type the expected type
     * @param <T> the expected type
     * @return the value
     * @throws FastShareException as {@link #read(String, Class)}
     */
    public <T> T take(String token, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return cast(readValue(token, type, true), type);
    }

    private Object readValue(String token, Type type, boolean take) {
        long start = System.nanoTime();
        try {
            checkOpen();
            Token parsed = Token.parse(token, maxInlineSize);
            if (parsed instanceof Token.Inline inline) {
                HeapBlockContent content = new HeapBlockContent(inline.bytes());
                BlockPreamble preamble = decodeInline(content, inline.bytes().length);
                Object value = decode(preamble, content, type, false, "inline token");
                notifyRead(TransferPath.INLINE, inline.bytes().length, start);
                return value;
            }
            BlockName name = ((Token.Shared) parsed).name();
            try (BlockFile file = BlockFile.open(directory, name)) {
                if (take) {
                    claim(file);
                }
                BlockPreamble preamble = file.preamble();
                Object value = decode(preamble, file.copyingContent(), type, false, name.value());
                notifyRead(TransferPath.SHM, preamble.header().totalLength(), start);
                return value;
            }
        } catch (FastShareException e) {
            notifyReadFailed(e, start);
            throw e;
        }
    }

    private void claim(BlockFile file) {
        try {
            Files.delete(file.path());
            owned.remove(file.name());
        } catch (NoSuchFileException e) {
            throw new BlockNotFoundException("block " + file.name() + " was taken or released by another reader "
                    + "just now; a token can be taken once", e);
        } catch (IOException e) {
            throw new FastShareException("cannot claim block " + file.name() + ": " + e, e);
        }
    }

    private static BlockPreamble decodeInline(HeapBlockContent content, long length) {
        try {
            BlockHeader header = BlockDecoder.decodeHeader(content.all(), length, "inline token");
            return BlockDecoder.decodePreamble(header, content.all(), "inline token");
        } catch (CorruptBlockException e) {
            throw new InvalidTokenException("inline token does not hold a valid block: " + e.getMessage(), e);
        }
    }

    private Object decode(BlockPreamble preamble, BlockContent content, Type type, boolean zeroCopy, String label) {
        PayloadChecksum.verify(preamble, content, label);
        PayloadCodec codec = codecs.forId(preamble.header().codecId());
        try {
            return codec.decode(new ContentPayloadReader(preamble, content, zeroCopy), type);
        } catch (FastShareException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("codec '" + codec.id() + "' failed to decode " + label + ": " + e, e);
        }
    }

    static <T> T cast(Object value, Class<T> type) {
        Class<?> boxed = type.isPrimitive() ? java.lang.invoke.MethodType.methodType(type).wrap().returnType() : type;
        if (!boxed.isInstance(value)) {
            throw new CodecException("payload is a " + (value == null ? "null" : value.getClass().getName())
                    + ", not a " + type.getName());
        }
        @SuppressWarnings("unchecked")
        T result = (T) boxed.cast(value);
        return result;
    }

    // ---------------------------------------------------------------- open

    /**
     * Opens a payload for zero-copy reading: the returned handle maps the block read-only and hands out
     * views of the shared memory. Opening costs the same for 1 KiB and 1 GiB; pages are read as the
     * application touches them. Close the handle to unmap.
     *
     * @param token a token from {@link #write}
     * @return the handle; close it when done
     * @throws FastShareException as {@link #read(String, Class)}
     */
    public SharedPayload open(String token) {
        long start = System.nanoTime();
        try {
            checkOpen();
            Token parsed = Token.parse(token, maxInlineSize);
            if (parsed instanceof Token.Inline inline) {
                HeapBlockContent content = new HeapBlockContent(inline.bytes());
                BlockPreamble preamble = decodeInline(content, inline.bytes().length);
                PayloadChecksum.verify(preamble, content, "inline token");
                notifyRead(TransferPath.INLINE, inline.bytes().length, start);
                return new SharedPayload(token, preamble, content, codecs, true);
            }
            BlockName name = ((Token.Shared) parsed).name();
            try (BlockFile file = BlockFile.open(directory, name)) {
                BlockContent content = file.map();
                try {
                    PayloadChecksum.verify(file.preamble(), content, name.value());
                } catch (RuntimeException e) {
                    content.close();
                    throw e;
                }
                notifyRead(TransferPath.SHM, file.preamble().header().totalLength(), start);
                return new SharedPayload(token, file.preamble(), content, codecs, false);
            }
        } catch (FastShareException e) {
            notifyReadFailed(e, start);
            throw e;
        }
    }

    // ---------------------------------------------------------------- broadcast (share / load)

    /**
     * Shares a payload with many readers: writes it to shared memory with no TTL and returns a handle
     * that releases it on {@link SharedBlock#close()}. Readers call {@link #load(String, Class)}.
     *
     * @param payload the value
     * @return the handle; close it when readers no longer need to load the payload
     * @throws CodecException when no codec accepts the payload
     * @throws AllocationException when shared memory cannot take it (a share never falls back inline)
     * @throws TemplateClosedException after {@link #close()}
     */
    public SharedBlock share(Object payload) {
        Stored stored = store(payload, WriteOptions.defaults().noTtl().shared());
        return new SharedBlock(this, stored.token(), stored.size());
    }

    /** Releases a shared block unless the template is closed (it released its blocks then). */
    void releaseShared(String token) {
        if (!closed) {
            try {
                release(token);
            } catch (TemplateClosedException e) {
                // closed meanwhile: close() released the block
            }
        }
    }

    /**
     * Loads a shared payload through this template's cache: the first call for a token and type
     * decodes an independent heap copy, later calls return that same instance, so N loads in a worker
     * deserialise once. Treat the value as read-only, since every caller shares it. The copy stays
     * valid after the block is released; loading a token not in the cache after its release throws
     * {@link BlockNotFoundException}. Works for any token, inline or shared.
     *
     * @param token a token from {@link #share} or {@link #write}
     * @param type the expected type
     * @param <T> the expected type
     * @return the cached value
     * @throws FastShareException as {@link #read(String, Class)}
     */
    public <T> T load(String token, Class<T> type) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(type, "type");
        return cast(loaded.get(token, type, () -> readValue(token, type, false)), type);
    }

    /**
     * Loads a shared payload of a generic type through this template's cache; see
     * {@link #load(String, Class)}.
     *
     * @param token a token from {@link #share} or {@link #write}
     * @param type the expected type
     * @param <T> the expected type
     * @return the cached value
     * @throws FastShareException as {@link #read(String, Class)}
     */
    @SuppressWarnings("unchecked")
    public <T> T load(String token, TypeReference<T> type) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(type, "type");
        Type target = type.getType();
        return (T) loaded.get(token, target, () -> readValue(token, target, false));
    }

    /**
     * Drops every value cached by {@link #load}, so the heap can reclaim them; later loads decode
     * again (and fail for released blocks).
     */
    public void clearCache() {
        loaded.clear();
    }

    /**
     * Returns the number of values cached by {@link #load}.
     *
     * @return cached values
     */
    public int cachedCount() {
        return loaded.size();
    }

    // ---------------------------------------------------------------- release

    /**
     * Deletes the block a token names. Any process holding the token may release it; readers that
     * already opened or are reading it keep valid data. Idempotent.
     *
     * @param token a token from {@link #write}
     * @return true when a block was deleted; false when it was already gone, or for an inline token
     *     (which owns no shared memory)
     * @throws InvalidTokenException when the token is malformed
     */
    public boolean release(String token) {
        checkOpen();
        Token parsed = Token.parse(token, maxInlineSize);
        if (parsed instanceof Token.Inline) {
            return false;
        }
        return delete(((Token.Shared) parsed).name());
    }

    private boolean delete(BlockName name) {
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

    // ---------------------------------------------------------------- introspection

    /**
     * Returns the block directory.
     *
     * @return absolute path
     */
    public Path directory() {
        return directory.path();
    }

    /**
     * Returns this template's owner id, recorded in every block it writes.
     *
     * @return owner id
     */
    public OwnerId ownerId() {
        return lease.owner();
    }

    /**
     * Returns the number of blocks this template wrote and has not seen released.
     *
     * @return live owned blocks
     */
    public int ownedBlockCount() {
        owned.reconcile(directory);
        return owned.count();
    }

    /**
     * Returns the bytes of blocks this template wrote and has not seen released.
     *
     * @return live owned bytes
     */
    public long ownedBytes() {
        owned.reconcile(directory);
        return owned.bytes();
    }

    /**
     * Returns the bytes available in the block directory's filesystem.
     *
     * @return usable bytes, -1 when unknown
     */
    public long usableSpace() {
        return directory.usableSpace();
    }

    /**
     * Returns the inline threshold.
     *
     * @return bytes
     */
    public long threshold() {
        return threshold;
    }

    /**
     * Returns the block directory as the store sees it, for the janitor and tools in this library.
     *
     * @return the directory
     */
    public BlockDirectory blockDirectory() {
        return directory;
    }

    // ---------------------------------------------------------------- blocks and cleanup (janitor)

    /**
     * Lists every block in the block directory, of every process, with its state. This template's own
     * owner counts as alive; other owners' liveness comes from their lease locks.
     *
     * @return the blocks, sorted by name
     * @throws TemplateClosedException after {@link #close()}
     * @throws FastShareException when the directory cannot be listed
     */
    public List<BlockInfo> blocks() {
        checkOpen();
        return janitor.scan();
    }

    /**
     * Looks up one block by name ({@code FSHR_...}) or shared-memory token ({@code FSHR:shm:FSHR_...}).
     *
     * @param nameOrToken a block name or token
     * @return the block, or empty when it does not exist or the token is inline (it owns no block)
     * @throws InvalidTokenException when the argument is neither a block name nor a valid token
     * @throws TemplateClosedException after {@link #close()}
     */
    public Optional<BlockInfo> block(String nameOrToken) {
        checkOpen();
        Objects.requireNonNull(nameOrToken, "nameOrToken");
        if (BlockName.isValid(nameOrToken)) {
            return janitor.inspect(nameOrToken);
        }
        Token parsed = Token.parse(nameOrToken, maxInlineSize);
        if (parsed instanceof Token.Shared shared) {
            return janitor.inspect(shared.name().value());
        }
        return Optional.empty();
    }

    /**
     * Reclaims expired blocks, blocks and half-written blocks of dead owners after the grace period,
     * corrupt files and stale leases (see {@link Janitor}). Never deletes a live block of another
     * process; this template's own blocks are reclaimed only once expired.
     *
     * @param options dry run and grace period
     * @return what was reclaimed, skipped and failed
     * @throws TemplateClosedException after {@link #close()}
     * @throws FastShareException when the directory cannot be listed
     */
    public CleanupResult cleanup(CleanupOptions options) {
        checkOpen();
        CleanupResult result = janitor.cleanup(options);
        if (!options.dryRun()) {
            owned.reconcile(directory);
        }
        return result;
    }

    /**
     * Returns the janitor working on this template's block directory, which treats this template's
     * owner as alive.
     *
     * @return the janitor; thread-safe
     */
    public Janitor janitor() {
        return janitor;
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Closes the template: releases its blocks (unless release on close is off) and its owner lease.
     * Idempotent. Readers that opened blocks keep their data.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (releaseOnClose) {
            int released = 0;
            for (BlockName name : owned.names()) {
                try {
                    if (delete(name)) {
                        released++;
                    }
                } catch (FastShareException e) {
                    log.warn("fastshare could not release block {} on close: {}", name, e.getMessage());
                }
            }
            if (released > 0) {
                log.info("fastshare released {} blocks on close", released);
            }
        }
        lease.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new TemplateClosedException("this SharedMemoryTemplate is closed");
        }
    }

    private void notifyWrite(TransferPath path, long bytes, long start) {
        long nanos = System.nanoTime() - start;
        notifyListeners(listener -> listener.writeCompleted(path, bytes, nanos));
    }

    private void notifyWriteFailed(FastShareException error, long start) {
        long nanos = System.nanoTime() - start;
        notifyListeners(listener -> listener.writeFailed(error, nanos));
    }

    private void notifyRead(TransferPath path, long bytes, long start) {
        long nanos = System.nanoTime() - start;
        notifyListeners(listener -> listener.readCompleted(path, bytes, nanos));
    }

    private void notifyReadFailed(FastShareException error, long start) {
        long nanos = System.nanoTime() - start;
        notifyListeners(listener -> listener.readFailed(error, nanos));
    }

    private void notifyListeners(Consumer<FastShareListener> event) {
        for (FastShareListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                // A broken metrics listener must never fail a handoff.
                log.warn("fastshare listener {} failed", listener, e);
            }
        }
    }

    /**
     * Builds a {@link SharedMemoryTemplate}. Not thread-safe; build once, share the template.
     */
    public static final class Builder {

        private Path directory;
        private long threshold = 1_000_000;
        private Duration defaultTtl = Duration.ofMinutes(10);
        private long maxLiveBytes = Long.MAX_VALUE;
        private long maxInlineSize = 16L * 1024 * 1024;
        private Fallback fallback = Fallback.INLINE;
        private boolean releaseOnClose = true;
        private boolean checksums;
        private Set<PosixFilePermission> filePermissions = BlockDirectory.DEFAULT_FILE_PERMISSIONS;
        private final List<PayloadCodec> codecs = new ArrayList<>();
        private final List<PayloadCodec> fallbackCodecs = new ArrayList<>();
        private final List<FastShareListener> listeners = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private Consumer<BlockName> beforeCommit = name -> { };
        private JsonMapper jsonMapper;
        private long outOfBandThreshold = JsonCodec.DEFAULT_OUT_OF_BAND_THRESHOLD;
        private List<String> allowedTypes = List.of();
        private boolean javaSerialization;

        private Builder() {
        }

        /**
         * Sets the block directory. Default: {@code /dev/shm/fastshare}, or {@code fastshare} under
         * {@code java.io.tmpdir} where {@code /dev/shm} does not exist. Created with owner-only access.
         * Every process of a handoff must use the same directory.
         *
         * @param directory the directory
         * @return this builder
         */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Sets the size below which a payload travels inline in the token. Default 1,000,000 bytes.
         *
         * @param bytes threshold in bytes, zero or more (zero: always shared memory)
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder threshold(long bytes) {
            this.threshold = requireNonNegative(bytes, "threshold");
            return this;
        }

        /**
         * Sets the TTL of blocks from {@code write}. Default 10 minutes. {@code null} gives blocks no TTL.
         *
         * @param ttl positive duration, or null
         * @return this builder
         * @throws IllegalArgumentException when zero or negative
         */
        public Builder defaultTtl(Duration ttl) {
            if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
                throw new IllegalArgumentException("defaultTtl must be positive: " + ttl);
            }
            this.defaultTtl = ttl;
            return this;
        }

        /**
         * Sets the quota of bytes this template keeps in shared memory at once. Default: unlimited.
         * Size it below the memory limit of the container that writes: tmpfs pages count against it.
         *
         * @param bytes quota in bytes
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder maxLiveBytes(long bytes) {
            this.maxLiveBytes = requireNonNegative(bytes, "maxLiveBytes");
            return this;
        }

        /**
         * Sets the largest block carried inline (forced inline writes and the fallback), and the largest
         * inline token a reader accepts. Default 16 MiB.
         *
         * @param bytes limit in bytes
         * @return this builder
         * @throws IllegalArgumentException when negative or over 1 GiB
         */
        public Builder maxInlineSize(long bytes) {
            requireNonNegative(bytes, "maxInlineSize");
            if (bytes > (1L << 30)) {
                throw new IllegalArgumentException("maxInlineSize over 1 GiB makes tokens impractical: " + bytes);
            }
            this.maxInlineSize = bytes;
            return this;
        }

        /**
         * Sets what happens when shared memory cannot take a payload. Default {@link Fallback#INLINE}.
         *
         * @param fallback the policy
         * @return this builder
         */
        public Builder fallback(Fallback fallback) {
            this.fallback = Objects.requireNonNull(fallback, "fallback");
            return this;
        }

        /**
         * Sets whether {@link SharedMemoryTemplate#close()} deletes the blocks this template still owns.
         * Default true. Turn off when readers may pick up handoffs after the writer has exited (the
         * janitor reclaims them after the TTL or the grace period).
         *
         * @param release whether to release on close
         * @return this builder
         */
        public Builder releaseOnClose(boolean release) {
            this.releaseOnClose = release;
            return this;
        }

        /**
         * Sets whether blocks carry a CRC32C payload checksum that readers verify. Default false: the
         * commit protocol already guards against half-written blocks; checksums guard against memory
         * corruption at the cost of one extra pass on each side.
         *
         * @param enabled whether to checksum payloads
         * @return this builder
         */
        public Builder checksums(boolean enabled) {
            this.checksums = enabled;
            return this;
        }

        /**
         * Sets the permissions of block files, such as {@code rw-r-----} to share with a group
         * (Kubernetes {@code fsGroup}). Default {@code rw-------}.
         *
         * @param permissions permissions in {@code ls} form
         * @return this builder
         * @throws IllegalArgumentException when not of the form {@code rwxrwxrwx}, or without owner read and write
         */
        public Builder filePermissions(String permissions) {
            Set<PosixFilePermission> parsed = PosixFilePermissions.fromString(permissions);
            if (!parsed.contains(PosixFilePermission.OWNER_READ) || !parsed.contains(PosixFilePermission.OWNER_WRITE)) {
                throw new IllegalArgumentException("file permissions must include owner read and write: " + permissions);
            }
            this.filePermissions = parsed;
            return this;
        }

        /**
         * Registers a codec, asked before the built-in raw codec.
         *
         * @param codec the codec
         * @return this builder
         */
        public Builder codec(PayloadCodec codec) {
            codecs.add(Objects.requireNonNull(codec, "codec"));
            return this;
        }

        /**
         * Registers a codec asked after the raw codec and all codecs from {@link #codec}: for catch-all
         * codecs such as a JSON codec.
         *
         * @param codec the codec
         * @return this builder
         */
        public Builder fallbackCodec(PayloadCodec codec) {
            fallbackCodecs.add(Objects.requireNonNull(codec, "codec"));
            return this;
        }

        /**
         * Adds a listener for writes and reads.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(FastShareListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Sets the clock used for creation and expiry times. For tests.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets a hook called after a block's payload is written and before its commit marker. For crash
         * tests and diagnostics only.
         *
         * @param hook receives the block's name
         * @return this builder
         */
        public Builder beforeCommit(Consumer<BlockName> hook) {
            this.beforeCommit = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /**
         * Sets the Jackson mapper of the JSON codec, which encodes records, POJOs, collections and
         * maps (the Spring Boot starter passes the application's). The codec uses a copy with its
         * out-of-band module added; the given mapper is not changed. Default: a plain
         * {@code JsonMapper}.
         *
         * @param mapper the mapper
         * @return this builder
         */
        public Builder jsonMapper(JsonMapper mapper) {
            this.jsonMapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /**
         * Sets the size from which arrays and byte buffers inside structured payloads leave the JSON
         * and go raw into their own aligned buffers of the block. Default 4 KiB.
         *
         * @param bytes threshold in bytes; 0 sends every array out of band
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder outOfBandThreshold(long bytes) {
            this.outOfBandThreshold = requireNonNegative(bytes, "outOfBandThreshold");
            return this;
        }

        /**
         * Sets the classes an untyped {@code read(token)} of a structured payload may instantiate, and
         * the classes a Java serialisation stream may contain: patterns such as
         * {@code com.example.Foo}, {@code com.example.*} (one package), {@code com.example.**} (with
         * sub-packages). Strings, boxed primitives, big numbers and the standard {@code java.util}
         * collections are always allowed. Default: nothing else. Typed reads are not restricted.
         *
         * @param patterns class name patterns; replaces earlier ones
         * @return this builder
         * @throws IllegalArgumentException when a pattern is malformed
         */
        public Builder allowedTypes(String... patterns) {
            List<String> list = List.of(patterns);
            TypeAllowList.of(list);
            this.allowedTypes = list;
            return this;
        }

        /**
         * Enables the Java serialisation codec for {@code Serializable} classes that are not records,
         * collections, maps or JDK classes (those go through JSON). Reads go through an
         * {@code ObjectInputFilter} built from {@link #allowedTypes}. Default off; enable it on writers
         * and readers alike.
         *
         * @param enabled whether to enable it
         * @return this builder
         */
        public Builder javaSerialization(boolean enabled) {
            this.javaSerialization = enabled;
            return this;
        }

        /**
         * Returns the codecs in the order they are asked: those from {@link #codec}, raw, those from
         * {@link #fallbackCodec}, Java serialisation when enabled, JSON (unless a registered codec
         * already has the id {@code json}).
         */
        private List<PayloadCodec> codecList() {
            TypeAllowList allowList = TypeAllowList.of(allowedTypes);
            List<PayloadCodec> all = new ArrayList<>(codecs);
            all.add(new RawCodec());
            all.addAll(fallbackCodecs);
            if (javaSerialization) {
                all.add(new JavaSerializationCodec(allowList));
            }
            if (all.stream().noneMatch(c -> c.id().equals(JsonCodec.ID))) {
                all.add(new JsonCodec(jsonMapper != null ? jsonMapper : JsonMapper.builder().build(),
                        outOfBandThreshold, allowList));
            }
            return all;
        }

        /**
         * Builds the template: creates the directory if needed and acquires the owner lease.
         *
         * @return the template
         * @throws FastShareException when the directory cannot be created or the lease cannot be acquired
         */
        public SharedMemoryTemplate build() {
            return new SharedMemoryTemplate(this);
        }

        private static long requireNonNegative(long value, String name) {
            if (value < 0) {
                throw new IllegalArgumentException(name + " must not be negative: " + value);
            }
            return value;
        }
    }
}
