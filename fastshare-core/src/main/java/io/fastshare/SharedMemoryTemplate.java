package io.fastshare;

import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.cleanup.Janitor;
import io.fastshare.codec.CodecRegistry;
import io.fastshare.codec.ContentPayloadReader;
import io.fastshare.codec.EncodedPayload;
import io.fastshare.codec.JavaSerializationCodec;
import io.fastshare.codec.SerializationLimits;
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
import io.fastshare.store.BlockHandle;
import io.fastshare.store.BlockStore;
import io.fastshare.store.BlockStoreFactory;
import io.fastshare.store.BlockStores;
import io.fastshare.store.FileBlockStore;
import io.fastshare.store.MemoryBudget;
import io.fastshare.store.MemoryCgroup;
import io.fastshare.store.OwnerLease;
import io.fastshare.store.StoreContext;
import io.fastshare.store.pool.PoolBlockStore;
import java.nio.charset.StandardCharsets;
import java.nio.ByteOrder;
import java.nio.ByteBuffer;
import io.fastshare.format.ElementType;
import io.fastshare.format.BlockLayout;
import io.fastshare.format.BufferDescriptor;
import io.fastshare.store.pool.SlotWrite;
import io.fastshare.store.StoreUsage;
import io.fastshare.store.StoredBlock;
import io.fastshare.token.InlineBlockEncoder;
import io.fastshare.token.Token;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.Type;
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
 * the token ({@code FSHR:inl:...}); larger ones go to the first {@link BlockStore} of the write chain
 * that takes them, by default a slot of the shared-memory pool ({@code FSHR:pool:FSHP_...}), else a block
 * file in the block directory ({@code FSHR:shm:FSHR_...}); tokens
 * are {@code FSHR:<kind>:<key>}, and any token whose kind has a store in this template can be read.
 * Blocks carry a TTL (default 10 minutes) after which any process's janitor may reclaim them;
 * {@link #release} and {@link #take} free them earlier.
 *
 * <p>The template keeps codec choice, placement (inline or stored), listeners and the load cache; where
 * and how blocks are kept is the stores' business ({@link BlockStores}).
 *
 * <p>Each template holds an owner lease for its lifetime; {@link #close()} waits for writes in flight,
 * then releases the lease and, by default, the blocks it wrote and still owns.
 *
 * <p>Thread-safe: one instance serves a whole application.
 */
public final class SharedMemoryTemplate implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SharedMemoryTemplate.class);

    /** Longest {@link #close()} waits for writes in flight before it stops waiting (they then fail cleanly). */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final OwnerLease lease;
    private final FileBlockStore fileStore;
    private final BlockStores stores;
    private final WriteGate writes = new WriteGate();
    private final MemoryBudget memory;
    private final CodecRegistry codecs;
    private final SecureRandom random;
    private final Clock clock;
    private final long pid = ProcessHandle.current().pid();
    private final long threshold;
    private final Duration defaultTtl;
    private final long maxInlineSize;
    private final long maxInlineReadSize;
    private final SettingNames settingNames;
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
        this.maxInlineSize = builder.maxInlineSize;
        // A reader that may produce larger inline tokens must at least accept its own.
        this.maxInlineReadSize = Math.max(builder.maxInlineReadSize, builder.maxInlineSize);
        this.settingNames = builder.settingNames;
        this.fallback = builder.fallback;
        this.releaseOnClose = builder.releaseOnClose;
        this.checksums = builder.checksums;
        this.listeners = List.copyOf(builder.listeners);
        this.codecs = new CodecRegistry(builder.codecList());
        BlockDirectory directory = BlockDirectory.open(
                builder.directory != null ? builder.directory : BlockDirectory.defaultPath(), builder.filePermissions);
        this.lease = OwnerLease.acquire(directory, random);
        StoreContext context = new StoreContext(directory, lease.owner(), clock, random);
        this.memory = MemoryBudget.of(MemoryCgroup.detect().orElse(null), builder.memoryLimitShare);
        this.fileStore = new FileBlockStore(context, builder.maxLiveBytes, builder.beforeCommit,
                builder.settingNames.maxLiveSize(), memory);
        try {
            this.stores = builder.stores(context, fileStore, memory);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
        log.debug("fastshare template ready: directory={}, owner={}, threshold={} bytes, write chain={}", directory,
                lease.owner(), threshold, stores.writeChain().stream().map(BlockStore::kind).toList());
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

    /**
     * Lends a block of shared memory to write a payload in place: the loan's {@link BlockLoan#buffer()}
     * is a pool slot itself, and {@link BlockLoan#publish()} seals it and returns the token, so a
     * producer that fills the buffer directly hands the payload over without any copy (a reader using
     * {@link #open} copies nothing either). The block is a raw {@code ByteBuffer} block with the default
     * TTL. Without a pool slot (pool off or full, size over the largest slot) the loan is a local buffer
     * written like {@code write(buffer)} at publish.
     *
     * @param bytes the payload size, 0 to {@code Integer.MAX_VALUE}
     * @return the loan; close it (try-with-resources) so an unpublished slot goes back
     * @throws IllegalArgumentException when {@code bytes} is out of range
     * @throws TemplateClosedException after {@link #close()}
     */
    public BlockLoan loan(long bytes) {
        checkOpen();
        if (bytes < 0 || bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a loan holds 0 to " + Integer.MAX_VALUE + " bytes, not " + bytes);
        }
        long start = System.nanoTime();
        long now = clock.millis();
        long expires = defaultTtl == null ? 0 : now + defaultTtl.toMillis();
        BlockPreamble preamble = BlockPreamble.plan(RawCodec.ID, "ByteBuffer".getBytes(StandardCharsets.US_ASCII),
                List.of(BufferSpec.vector(ElementType.BYTES, bytes)), lease.owner(), pid, now, expires, false);
        long total = preamble.header().totalLength();
        Optional<PoolBlockStore> pool = stores.writeChain().stream()
                .filter(PoolBlockStore.class::isInstance).map(PoolBlockStore.class::cast).findFirst();
        if (pool.isPresent()) {
            try {
                return pooledLoan(pool.get(), preamble, total, start);
            } catch (AllocationException e) {
                log.debug("fastshare lends a local buffer: {}", e.getMessage());
            }
        }
        ByteBuffer local = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        return new BlockLoan(local, false, new BlockLoan.Seal() {
            @Override
            public String publish() {
                return write(local.duplicate().clear());
            }

            @Override
            public void giveBack() {
                // a heap-managed buffer: nothing to give back
            }
        });
    }

    private BlockLoan pooledLoan(PoolBlockStore pool, BlockPreamble preamble, long total, long start) {
        SlotWrite slot = pool.allocate(total);
        BufferDescriptor payload = preamble.buffers().get(0);
        ByteBuffer memory;
        try {
            memory = slot.buffer();
            ByteBuffer encoded = preamble.encode(BlockLayout.WRITING, 0);
            memory.put(0, encoded, 0, encoded.remaining());
            for (long i = encoded.remaining(); i < payload.offset(); i++) {
                memory.put((int) i, (byte) 0);
            }
        } catch (RuntimeException e) {
            slot.abandon();
            throw e;
        }
        ByteBuffer buffer = memory.slice((int) payload.offset(), (int) payload.length()).order(ByteOrder.LITTLE_ENDIAN);
        return new BlockLoan(buffer, true, new BlockLoan.Seal() {
            @Override
            public String publish() {
                if (closed) {
                    slot.abandon();
                    throw new TemplateClosedException("this SharedMemoryTemplate was closed before the loan was "
                            + "published; its slot was given back");
                }
                memory.putInt(BlockLayout.COMMIT_OFFSET, BlockLayout.COMMITTED);
                String token = pool.published(slot.publish(total), total).token();
                notifyWrite(TransferPath.SHM, total, start);
                return token;
            }

            @Override
            public void giveBack() {
                slot.abandon();
            }
        });
    }

    /**
     * A written payload.
     *
     * @param token the token
     * @param size the size of its encoded block
     * @param path where it went
     * @param block the stored block, null for an inline token
     */
    private record Stored(String token, long size, TransferPath path, @Nullable StoredBlock block) {
    }

    private Stored store(Object payload, WriteOptions options) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(options, "options");
        long start = System.nanoTime();
        try {
            if (!writes.enter()) {
                throw new TemplateClosedException("this SharedMemoryTemplate is closed");
            }
            Stored stored;
            try {
                stored = place(payload, options);
            } catch (RuntimeException | Error e) {
                writes.exit();
                throw e;
            }
            settle(stored, writes.exit());
            notifyWrite(stored.path(), stored.size(), start);
            return stored;
        } catch (FastShareException e) {
            notifyWriteFailed(e, start);
            throw e;
        }
    }

    /**
     * Fails a stored write that finished while the template was closing and would outlive it: with
     * release on close its block is released like every other; after close stopped waiting the lease
     * is gone. The write removes its own block, so close leaves nothing behind.
     */
    private void settle(Stored stored, WriteGate.Exit exit) {
        if (stored.block() == null || exit == WriteGate.Exit.OPEN
                || (exit == WriteGate.Exit.CLOSING && !releaseOnClose)) {
            return;
        }
        StoredBlock block = stored.block();
        try {
            stores.forKind(block.kind()).ifPresent(store -> store.release(block.key()));
        } catch (FastShareException e) {
            log.warn("fastshare could not release block {} written while closing: {}", block.key(), e.getMessage());
        }
        throw new TemplateClosedException("this SharedMemoryTemplate was closed while the write was in flight; its "
                + "block was released");
    }

    /** Encodes and places a payload: inline, in a store, or inline as the fallback. */
    private Stored place(Object payload, WriteOptions options) {
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
            return new Stored(inline(preamble, encoded, "inline placement"), size, TransferPath.INLINE, null);
        }
        try {
            StoredBlock block = stores.write(preamble, encoded.buffers());
            return new Stored(block.token(), size, TransferPath.SHM, block);
        } catch (AllocationException e) {
            if (placement == WriteOptions.Placement.SHARED || fallback == Fallback.FAIL) {
                throw e;
            }
            if (size > maxInlineSize) {
                throw new AllocationException(e.getMessage() + "; the inline fallback is not possible either: the "
                        + "payload (" + size + " bytes) is over the inline limit of " + maxInlineSize + " bytes ("
                        + settingNames.maxInlineSize() + ")", e);
            }
            log.warn("fastshare falls back to an inline token for a {}-byte payload: {}", size, e.getMessage());
            return new Stored(inline(preamble, encoded, "fallback"), size, TransferPath.FALLBACK, null);
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
                    + " bytes (" + why + "); write it to shared memory or raise " + settingNames.maxInlineSize());
        }
        return new Token.Inline(InlineBlockEncoder.encode(preamble, encoded.buffers())).value();
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
        return cast(readValue(token, type, type, false), type);
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
        return readValue(token, type, null, false);
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
        return (T) readValue(token, type.getType(), null, false);
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
        return readValue(token, Object.class, null, false);
    }

    /**
     * Reads a payload and releases its block: a claim-once handoff. Of several processes taking the
     * same token, exactly one gets the payload; the others get {@link BlockNotFoundException}.
     *
     * <p>The guarantee: everything that can be checked is checked before the claim (the token, the
     * block's header and buffer table, its payload checksum, the full decoding into the expected type),
     * and the claim is the last step. So when {@code take} returns, the block is gone and the caller
     * holds the only copy; when it throws, this call did not claim the block and it is still in its
     * store (unless another process took or released it), so a retry, with the right type or on a
     * thread that is not interrupted, still gets it. A taker that crashes after the claim loses the
     * payload with it, as any consumer that crashes after receiving a message does.
     *
     * @param token a token from {@link #write}
     * @param type the expected type
     * @param <T> the expected type
     * @return the value
     * @throws InterruptedFastShareException when the thread was interrupted; the block was not claimed
     * @throws CodecException when the payload is not of the expected type; the block was not claimed
     * @throws FastShareException as {@link #read(String, Class)}
     */
    public <T> T take(String token, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return cast(readValue(token, type, type, true), type);
    }

    /**
     * Takes a payload of a generic type: {@code List<Point> points = template.take(token, new
     * TypeReference<List<Point>>() {});}. Same guarantee as {@link #take(String, Class)}.
     *
     * @param token a token from {@link #write}
     * @param type the expected type
     * @param <T> the expected type
     * @return the value
     * @throws FastShareException as {@link #take(String, Class)}
     */
    @SuppressWarnings("unchecked")
    public <T> T take(String token, TypeReference<T> type) {
        Objects.requireNonNull(type, "type");
        return (T) readValue(token, type.getType(), null, true);
    }

    /**
     * Takes a payload of a generic type given as a {@link Type}. Same guarantee as
     * {@link #take(String, Class)}.
     *
     * @param token a token from {@link #write}
     * @param type the expected type
     * @return the value
     * @throws FastShareException as {@link #take(String, Class)}
     */
    public Object take(String token, Type type) {
        Objects.requireNonNull(type, "type");
        return readValue(token, type, null, true);
    }

    /**
     * Reads (and for a take, claims) a payload. Decoding, the type check included, comes before the
     * claim so a failure leaves the block in its store.
     *
     * @param expected the class the caller casts to, checked before the claim; null when the codec's
     *     own type handling is all there is (generic types)
     */
    private Object readValue(String token, Type type, @Nullable Class<?> expected, boolean take) {
        long start = System.nanoTime();
        try {
            checkOpen();
            Token parsed = Token.parse(token, maxInlineReadSize);
            if (parsed instanceof Token.Inline inline) {
                HeapBlockContent content = new HeapBlockContent(inline.bytes());
                BlockPreamble preamble = decodeInline(content, inline.bytes().length);
                Object value = decode(preamble, content, type, false, "inline token");
                if (expected != null) {
                    cast(value, expected);
                }
                notifyRead(TransferPath.INLINE, inline.bytes().length, start);
                return value;
            }
            Token.Stored stored = (Token.Stored) parsed;
            BlockStore store = stores.forToken(stored);
            try (BlockHandle handle = store.open(stored.key())) {
                BlockPreamble preamble = handle.preamble();
                Object value = decode(preamble, handle.content(), type, false, stored.key());
                if (expected != null) {
                    cast(value, expected);
                }
                if (take) {
                    handle.claim();
                }
                notifyRead(TransferPath.SHM, preamble.header().totalLength(), start);
                return value;
            }
        } catch (FastShareException e) {
            FastShareException failure = InterruptedFastShareException.translate(e, (take ? "take of " : "read of ")
                    + Token.abbreviate(String.valueOf(token)) + " was interrupted; the block is intact and was not "
                    + "claimed: retry on a thread that is not interrupted");
            notifyReadFailed(failure, start);
            throw failure;
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
            Token parsed = Token.parse(token, maxInlineReadSize);
            if (parsed instanceof Token.Inline inline) {
                HeapBlockContent content = new HeapBlockContent(inline.bytes());
                BlockPreamble preamble = decodeInline(content, inline.bytes().length);
                PayloadChecksum.verify(preamble, content, "inline token");
                notifyRead(TransferPath.INLINE, inline.bytes().length, start);
                return new SharedPayload(token, preamble, content, codecs, true);
            }
            Token.Stored stored = (Token.Stored) parsed;
            BlockStore store = stores.forToken(stored);
            try (BlockHandle handle = store.open(stored.key())) {
                BlockPreamble preamble = handle.preamble();
                BlockContent content = handle.view();
                try {
                    PayloadChecksum.verify(preamble, content, stored.key());
                } catch (RuntimeException e) {
                    content.close();
                    throw e;
                }
                notifyRead(TransferPath.SHM, preamble.header().totalLength(), start);
                return new SharedPayload(token, preamble, content, codecs, false);
            }
        } catch (FastShareException e) {
            FastShareException failure = InterruptedFastShareException.translate(e, "open of "
                    + Token.abbreviate(String.valueOf(token)) + " was interrupted; the block is intact");
            notifyReadFailed(failure, start);
            throw failure;
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
        return cast(loaded.get(token, type, () -> readValue(token, type, type, false)), type);
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
        return (T) loaded.get(token, target, () -> readValue(token, target, null, false));
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
        Token parsed = Token.parse(token, maxInlineReadSize);
        if (parsed instanceof Token.Inline) {
            return false;
        }
        Token.Stored stored = (Token.Stored) parsed;
        return stores.forToken(stored).release(stored.key());
    }

    // ---------------------------------------------------------------- introspection

    /**
     * Returns the block directory.
     *
     * @return absolute path
     */
    public Path directory() {
        return fileStore.directory().path();
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
     * Returns the number of blocks this template wrote, in any store, and has not seen released.
     *
     * @return live owned blocks
     */
    public int ownedBlockCount() {
        int count = 0;
        for (StoreUsage usage : stores.usage()) {
            count += usage.blocks();
        }
        return count;
    }

    /**
     * Returns the bytes of blocks this template wrote, in any store, and has not seen released.
     *
     * @return live owned bytes
     */
    public long ownedBytes() {
        long bytes = 0;
        for (StoreUsage usage : stores.usage()) {
            bytes += usage.bytes();
        }
        return bytes;
    }

    /**
     * Returns the bytes available in the block directory's filesystem.
     *
     * @return usable bytes, -1 when unknown
     */
    public long usableSpace() {
        return fileStore.directory().usableSpace();
    }

    /**
     * Returns what this template holds in each of its stores and how much room each has.
     *
     * @return one entry per store, the write chain first
     */
    public List<StoreUsage> usage() {
        return stores.usage();
    }

    /**
     * Returns what this template holds in the store of one token kind and how much room it has; the
     * file store's kind is {@link FileBlockStore#KIND}.
     *
     * @param kind a token kind
     * @return the usage
     * @throws IllegalArgumentException when this template has no store of that kind
     */
    public StoreUsage usage(String kind) {
        return stores.forKind(kind)
                .orElseThrow(() -> new IllegalArgumentException("no block store of kind '" + kind + "'"))
                .usage();
    }

    /**
     * Returns the template's stores: the write chain and the stores that serve reads only.
     *
     * @return the stores
     */
    public BlockStores stores() {
        return stores;
    }

    /**
     * Returns how much more this process may write to shared memory before it reaches the
     * {@linkplain Builder#memoryLimitShare share} of its memory cgroup's limit (tmpfs pages are charged
     * to the writer's cgroup). Writes that do not fit are treated like a full {@code /dev/shm}. Reads
     * the cgroup files on each call.
     *
     * @return the headroom, or empty when the process has no memory limit or it cannot be read
     */
    public Optional<MemoryHeadroom> memoryHeadroom() {
        return memory.headroom();
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
     * Returns the block directory as the file store sees it, for the janitor and tools in this library.
     *
     * @return the directory
     */
    public BlockDirectory blockDirectory() {
        return fileStore.directory();
    }

    // ---------------------------------------------------------------- blocks and cleanup (janitor)

    /**
     * Lists every block of every store of this template, of every process, with its state. This
     * template's own owner counts as alive; other owners' liveness comes from their lease locks.
     *
     * @return the blocks, store by store (write chain first), each store's sorted by key
     * @throws TemplateClosedException after {@link #close()}
     * @throws FastShareException when a store cannot be listed
     */
    public List<BlockInfo> blocks() {
        checkOpen();
        return stores.blocks();
    }

    /**
     * Looks up one block by file block name ({@code FSHR_...}) or token ({@code FSHR:<kind>:<key>}).
     *
     * @param nameOrToken a block name or token
     * @return the block, or empty when it does not exist or the token is inline (it owns no block)
     * @throws InvalidTokenException when the argument is neither a block name nor a valid token of a
     *     kind this template has a store for
     * @throws TemplateClosedException after {@link #close()}
     */
    public Optional<BlockInfo> block(String nameOrToken) {
        checkOpen();
        Objects.requireNonNull(nameOrToken, "nameOrToken");
        if (BlockName.isValid(nameOrToken)) {
            return fileStore.block(nameOrToken);
        }
        Token parsed = Token.parse(nameOrToken, maxInlineReadSize);
        if (parsed instanceof Token.Stored stored) {
            return stores.forToken(stored).block(stored.key());
        }
        return Optional.empty();
    }

    /**
     * Reclaims, in every store, expired blocks, blocks and half-written blocks of dead owners after the
     * grace period, corrupt files and stale leases (see {@link Janitor}). Never deletes a live block of
     * another process; this template's own blocks are reclaimed only once expired.
     *
     * @param options dry run and grace period
     * @return what was reclaimed, skipped and failed, all stores added up
     * @throws TemplateClosedException after {@link #close()}
     * @throws FastShareException when a store cannot be listed
     */
    public CleanupResult cleanup(CleanupOptions options) {
        checkOpen();
        return stores.cleanup(options);
    }

    /**
     * Returns the janitor working on this template's block directory (the file store), which treats
     * this template's owner as alive.
     *
     * @return the janitor; thread-safe
     */
    public Janitor janitor() {
        return fileStore.janitor();
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Closes the template. New reads and writes fail with {@link TemplateClosedException}; writes in
     * flight are waited for (at most 10 seconds; one still running then fails with
     * {@link TemplateClosedException} and removes its own block); then the blocks this template still
     * owns are released (unless release on close is off), the stores closed and the owner lease
     * released. So a close leaves no block of this template behind, whatever writes were running.
     * Idempotent. Readers that opened blocks keep their data.
     */
    @Override
    public void close() {
        synchronized (writes) {
            if (closed) {
                return;
            }
            closed = true;
        }
        int running = writes.closeAndAwait(CLOSE_WAIT);
        if (running > 0) {
            log.warn("fastshare closes with {} writes still running after {}; they will fail and remove their blocks",
                    running, CLOSE_WAIT);
        }
        if (releaseOnClose) {
            int released = stores.releaseOwned();
            if (released > 0) {
                log.info("fastshare released {} {} on close", released, released == 1 ? "block" : "blocks");
            }
        }
        stores.close();
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

        /**
         * Default of {@link #poolSize(long)}: 1 GiB, pool on. The pool grows on demand and gives idle
         * segments back, so an idle template holds no pool memory; 1 GiB leaves room for one slot of each
         * size class up to 256 MiB (see docs/design.md).
         */
        public static final long DEFAULT_POOL_SIZE = 1L << 30;

        /** Default of {@link #poolIdleTimeout(Duration)}: one minute. */
        public static final Duration DEFAULT_POOL_IDLE_TIMEOUT = Duration.ofMinutes(1);

        /**
         * Default of {@link #threshold(long)}: 8 KiB (8,192 bytes), where a pooled handoff overtakes the
         * inline token (measured; see docs/design.md). The Python original inlines up to 1 MB.
         */
        public static final long DEFAULT_THRESHOLD = 8 * 1024;

        /** Default of {@link #defaultTtl(Duration)}: 10 minutes. */
        public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

        /** Default of {@link #maxLiveBytes(long)}: unlimited. */
        public static final long DEFAULT_MAX_LIVE_BYTES = Long.MAX_VALUE;

        /**
         * Default of {@link #maxInlineSize(long)}: 48,000 bytes, so that every inline token written with
         * default settings, the fallback included, is at most {@link #DEFAULT_MAX_INLINE_TOKEN_LENGTH}
         * characters: within 64 KiB, which fits message headers, HTTP bodies and Kafka records with room
         * to spare.
         */
        public static final long DEFAULT_MAX_INLINE_SIZE = 48_000;

        /**
         * Longest inline token a template with the default {@link #maxInlineSize(long)} writes: 64,009
         * characters ({@code FSHR:inl:} and the unpadded base64url of 48,000 bytes).
         */
        public static final int DEFAULT_MAX_INLINE_TOKEN_LENGTH = 64_009;

        /**
         * Default of {@link #maxInlineReadSize(long)}: 16 MiB, so readers accept the inline tokens of
         * producers with larger limits, such as the Python original's (it inlines up to 1 MB).
         */
        public static final long DEFAULT_MAX_INLINE_READ_SIZE = 16L * 1024 * 1024;

        /** Largest value {@link #maxInlineSize(long)} accepts: 1 GiB; larger tokens are impractical. */
        public static final long MAX_INLINE_SIZE_LIMIT = 1L << 30;

        /** Default of {@link #fallback(Fallback)}: inline. */
        public static final Fallback DEFAULT_FALLBACK = Fallback.INLINE;

        /** Default of {@link #releaseOnClose(boolean)}: true. */
        public static final boolean DEFAULT_RELEASE_ON_CLOSE = true;

        /** Default of {@link #checksums(boolean)}: false. */
        public static final boolean DEFAULT_CHECKSUMS = false;

        /** Default of {@link #filePermissions(String)}, in {@code ls} form: owner read and write only. */
        public static final String DEFAULT_FILE_PERMISSIONS =
                PosixFilePermissions.toString(BlockDirectory.DEFAULT_FILE_PERMISSIONS);

        /** Default of {@link #outOfBandThreshold(long)}: 4 KiB. */
        public static final long DEFAULT_OUT_OF_BAND_THRESHOLD = JsonCodec.DEFAULT_OUT_OF_BAND_THRESHOLD;

        /** Default of {@link #javaSerialization(boolean)}: off. */
        public static final boolean DEFAULT_JAVA_SERIALIZATION = false;

        /** Default of {@link #memoryLimitShare(double)}: 0.9 of the memory cgroup limit. */
        public static final double DEFAULT_MEMORY_LIMIT_SHARE = MemoryBudget.DEFAULT_SHARE;

        private Path directory;
        private long threshold = DEFAULT_THRESHOLD;
        private Duration defaultTtl = DEFAULT_TTL;
        private long maxLiveBytes = DEFAULT_MAX_LIVE_BYTES;
        private long maxInlineSize = DEFAULT_MAX_INLINE_SIZE;
        private long maxInlineReadSize = DEFAULT_MAX_INLINE_READ_SIZE;
        private Fallback fallback = DEFAULT_FALLBACK;
        private boolean releaseOnClose = DEFAULT_RELEASE_ON_CLOSE;
        private boolean checksums = DEFAULT_CHECKSUMS;
        private SettingNames settingNames = SettingNames.BUILDER;
        private Set<PosixFilePermission> filePermissions = BlockDirectory.DEFAULT_FILE_PERMISSIONS;
        private final List<PayloadCodec> codecs = new ArrayList<>();
        private final List<PayloadCodec> fallbackCodecs = new ArrayList<>();
        private final List<FastShareListener> listeners = new ArrayList<>();
        private final List<BlockStoreFactory> writeStores = new ArrayList<>();
        private final List<BlockStoreFactory> readStores = new ArrayList<>();
        private boolean fileStoreWrites = true;
        private long poolSize = DEFAULT_POOL_SIZE;
        private Duration poolIdleTimeout = DEFAULT_POOL_IDLE_TIMEOUT;
        private Clock clock = Clock.systemUTC();
        private Consumer<BlockName> beforeCommit = name -> { };
        private JsonMapper jsonMapper;
        private long outOfBandThreshold = DEFAULT_OUT_OF_BAND_THRESHOLD;
        private List<String> allowedTypes = List.of();
        private boolean javaSerialization = DEFAULT_JAVA_SERIALIZATION;
        private SerializationLimits javaSerializationLimits = SerializationLimits.defaults();
        private double memoryLimitShare = DEFAULT_MEMORY_LIMIT_SHARE;

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
         * Sets the size below which a payload travels inline in the token. Default 8,192 bytes: below it
         * an inline token is faster than a pooled block, above it the token grows while a pooled block
         * costs microseconds.
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
         * Sets the largest block this template writes inline (below the threshold, forced inline writes
         * and the fallback). Default 48,000 bytes: an inline token of at most 64,009 characters
         * ({@link #DEFAULT_MAX_INLINE_TOKEN_LENGTH}). A block above it that no store takes fails with
         * {@link AllocationException}. Reads accept inline blocks up to {@link #maxInlineReadSize}, or up to
         * this size when it is larger.
         *
         * @param bytes limit in bytes
         * @return this builder
         * @throws IllegalArgumentException when negative or over 1 GiB
         */
        public Builder maxInlineSize(long bytes) {
            this.maxInlineSize = requireInlineLimit(bytes, "maxInlineSize");
            return this;
        }

        /**
         * Sets the largest inline block this template reads: longer inline tokens are refused with
         * {@link InvalidTokenException} before they are decoded. Default 16 MiB, so tokens of producers with
         * a larger {@link #maxInlineSize} (the Python original inlines up to 1 MB) are read. The effective
         * limit is never below {@link #maxInlineSize}.
         *
         * @param bytes limit in bytes
         * @return this builder
         * @throws IllegalArgumentException when negative or over 1 GiB
         */
        public Builder maxInlineReadSize(long bytes) {
            this.maxInlineReadSize = requireInlineLimit(bytes, "maxInlineReadSize");
            return this;
        }

        private static long requireInlineLimit(long bytes, String name) {
            requireNonNegative(bytes, name);
            if (bytes > MAX_INLINE_SIZE_LIMIT) {
                throw new IllegalArgumentException(name + " over 1 GiB makes tokens impractical: " + bytes);
            }
            return bytes;
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
         * Sets the share of the writer's memory cgroup limit that shared-memory writes may fill. tmpfs
         * pages count against the memory limit of the container that writes them, and past the limit
         * the kernel kills the process; so a write that would push the cgroup's usage (working set)
         * past this share of its limit is treated like a full {@code /dev/shm}: the configured
         * {@linkplain #fallback fallback}, or an {@link AllocationException} naming the limit. Default
         * 0.9. No check is made where the process has no memory limit.
         *
         * @param share a share in (0, 1]
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder memoryLimitShare(double share) {
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("memoryLimitShare must be in (0, 1]: " + share);
            }
            this.memoryLimitShare = share;
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
         * Adds a block store to the write chain, ahead of the file store: writes go to the first store
         * that takes them, in the order the stores were added, then to the file store (unless
         * {@link #fileStoreWrites} is off), then to the {@linkplain #fallback fallback}. The store also
         * serves reads of its token kind.
         *
         * <pre>{@code
         * SharedMemoryTemplate.builder().store(context -> new MyStore(context)).build();
         * }</pre>
         *
         * @param factory creates the store when the template is built
         * @return this builder
         */
        public Builder store(BlockStoreFactory factory) {
            writeStores.add(Objects.requireNonNull(factory, "factory"));
            return this;
        }

        /**
         * Adds a block store that serves reads (and releases) of its token kind but takes no writes: a
         * consumer reads every token kind it has a store for, whichever store its own writes go to.
         *
         * @param factory creates the store when the template is built
         * @return this builder
         */
        public Builder readStore(BlockStoreFactory factory) {
            readStores.add(Objects.requireNonNull(factory, "factory"));
            return this;
        }

        /**
         * Sets whether the file store ({@code FSHR:shm:...} blocks in the block directory) is in the write
         * chain, after the stores from {@link #store}. Default true. Turn off when writes must go to the
         * added stores only (a remote store for consumers on other hosts) and must not fall through to
         * local shared memory; the file store still serves reads of {@code shm} tokens.
         *
         * @param enabled whether writes may go to block files
         * @return this builder
         */
        public Builder fileStoreWrites(boolean enabled) {
            this.fileStoreWrites = enabled;
            return this;
        }

        /**
         * Sets the size of this template's shared-memory pool: segments of reused, already-faulted pages
         * ({@code FSHR:pool:...} tokens), grown on demand up to this many bytes and given back after
         * {@link #poolIdleTimeout} without blocks. A handoff through the pool is a copy into mapped memory
         * instead of a fresh tmpfs file; a block the pool cannot take (full, or over 1 GiB) falls through
         * to a block file. 0 turns the pool off for writes; pooled tokens of other processes are read in
         * any case. The pool takes writes only while block files do ({@link #fileStoreWrites}), and never
         * grows past {@link #maxLiveBytes}. Default {@link #DEFAULT_POOL_SIZE}, 1 GiB; pool pages are tmpfs
         * pages and count against the container's memory limit while the pool holds them.
         *
         * @param bytes most bytes of pool segments, 0 for none
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder poolSize(long bytes) {
            this.poolSize = requireNonNegative(bytes, "pool size");
            return this;
        }

        /**
         * Sets how long a pool segment without blocks stays before it is given back (decay), so an idle
         * service holds no pool memory. Default one minute. Segments are given back by the next pool
         * operation after that time, by a delayed check the pool schedules while it holds segments (no
         * thread of its own; a segment goes back within about twice the timeout), and by cleanup runs
         * ({@link SharedMemoryTemplate#cleanup}, the starter's scheduler).
         *
         * @param timeout the idle time, zero or positive
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder poolIdleTimeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").isNegative()) {
                throw new IllegalArgumentException("pool idle timeout must not be negative: " + timeout);
            }
            this.poolIdleTimeout = timeout;
            return this;
        }

        /**
         * Creates the stores and the registry: the added write stores, then the pool and the file store
         * (when block files take writes), then the read-only stores (the pool reads in any case). On a
         * failure the stores created so far are closed.
         */
        private BlockStores stores(StoreContext context, FileBlockStore fileStore, MemoryBudget memory) {
            List<BlockStore> created = new ArrayList<>();
            try {
                List<BlockStore> chain = create(writeStores, context, created);
                List<BlockStore> readOnly = create(readStores, context, created);
                // The quota bounds this template's shared memory, so the pool never grows past it either.
                long poolLimit = Math.min(poolSize, maxLiveBytes);
                boolean poolWrites = fileStoreWrites && poolLimit > 0;
                PoolBlockStore pool = new PoolBlockStore(context, poolWrites ? poolLimit : 0, poolIdleTimeout, memory);
                created.add(pool);
                (poolWrites ? chain : readOnly).add(pool);
                (fileStoreWrites ? chain : readOnly).add(fileStore);
                return new BlockStores(chain, readOnly);
            } catch (RuntimeException e) {
                for (BlockStore store : created) {
                    try {
                        store.close();
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }

        private static List<BlockStore> create(List<BlockStoreFactory> factories, StoreContext context,
                List<BlockStore> created) {
            List<BlockStore> stores = new ArrayList<>();
            for (BlockStoreFactory factory : factories) {
                BlockStore store = Objects.requireNonNull(factory.create(context), "store factory returned null");
                created.add(store);
                stores.add(store);
            }
            return stores;
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
         * Sets the names error messages give the quota, the inline limit and the type allow-list, so they
         * name what the user configures. Default {@link SettingNames#BUILDER}: this builder's methods.
         *
         * @param names the names
         * @return this builder
         */
        public Builder settingNames(SettingNames names) {
            this.settingNames = Objects.requireNonNull(names, "names");
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
         * Sets the bounds on what one Java deserialisation may build (depth, references, array length,
         * stream bytes); see {@link SerializationLimits} for the defaults. A stream beyond them fails the
         * read with a {@code CodecException}.
         *
         * @param limits the limits, for example {@code SerializationLimits.parse("maxdepth=40")}
         * @return this builder
         */
        public Builder javaSerializationLimits(SerializationLimits limits) {
            this.javaSerializationLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Returns the codecs in the order they are asked: those from {@link #codec}, raw, those from
         * {@link #fallbackCodec}, Java serialisation when enabled, JSON (unless a registered codec
         * already has the id {@code json}).
         */
        private List<PayloadCodec> codecList() {
            TypeAllowList allowList = TypeAllowList.of(allowedTypes, settingNames.allowedTypes());
            List<PayloadCodec> all = new ArrayList<>(codecs);
            all.add(new RawCodec());
            all.addAll(fallbackCodecs);
            if (javaSerialization) {
                all.add(new JavaSerializationCodec(allowList, javaSerializationLimits));
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
