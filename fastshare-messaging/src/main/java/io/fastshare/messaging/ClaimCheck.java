package io.fastshare.messaging;

import io.fastshare.BlockNotFoundException;
import io.fastshare.FastShareException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.WriteOptions;
import io.fastshare.token.Token;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The claim-check pattern on a {@link SharedMemoryTemplate}, independent of any transport: the producer
 * side {@linkplain #offload offloads} a payload to a block and gets the headers its message must carry; the
 * consumer side {@linkplain #resolve resolves} those headers back into the payload and, once the message
 * was processed, {@linkplain #processed releases} the block according to the {@link FanOut} mode.
 *
 * <p>Lifecycle rules it implements:
 * <ul>
 *   <li>every block gets the messaging TTL, so a message that is never consumed (dead-lettered, or its
 *       consumer is down) keeps its payload until then, and the janitor reclaims it after;</li>
 *   <li>a block is released only after successful processing, never on a failed attempt, so a redelivered
 *       message still resolves;</li>
 *   <li>a send that failed after the write {@linkplain #sendFailed releases} the block;</li>
 *   <li>a consumer that does not share the producer's block directory gets a
 *       {@link ForeignBlockDirectoryException} saying so; a late consumer gets a
 *       {@link BlockNotFoundException} saying the payload expired.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class ClaimCheck {

    private static final Logger log = LoggerFactory.getLogger(ClaimCheck.class);

    private final SharedMemoryTemplate template;
    private final MessagingOptions options;
    private final WriteOptions writeOptions;
    private final DirectoryIdentity localDirectory;
    private final FanOutLedger ledger;
    private final Clock clock;

    /**
     * Creates a claim check.
     *
     * @param template the template that writes and reads blocks
     * @param options TTL, fan-out and threshold
     */
    public ClaimCheck(SharedMemoryTemplate template, MessagingOptions options) {
        this(template, options, Clock.systemUTC());
    }

    /**
     * Creates a claim check with a clock, for tests of expiry.
     *
     * @param template the template that writes and reads blocks
     * @param options TTL, fan-out and threshold
     * @param clock the clock for expiry times (use the template's)
     */
    public ClaimCheck(SharedMemoryTemplate template, MessagingOptions options, Clock clock) {
        this.template = Objects.requireNonNull(template, "template");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        WriteOptions write = WriteOptions.defaults().ttl(options.ttl());
        this.writeOptions = options.threshold() != null ? write.threshold(options.threshold()) : write;
        this.localDirectory = DirectoryIdentity.of(template.directory());
        this.ledger = new FanOutLedger(template.directory(), clock);
    }

    /**
     * Returns the template.
     *
     * @return the template
     */
    public SharedMemoryTemplate template() {
        return template;
    }

    /**
     * Returns the options.
     *
     * @return the options
     */
    public MessagingOptions options() {
        return options;
    }

    /**
     * Returns a claim check on the same template with other options (a per-endpoint threshold, say).
     *
     * @param other the options
     * @return a new claim check
     */
    public ClaimCheck with(MessagingOptions other) {
        return new ClaimCheck(template, other, clock);
    }

    // ---------------------------------------------------------------- producer side

    /**
     * Writes a payload with the messaging TTL and threshold and returns its token, inline for payloads
     * below the threshold. For transports whose body is always the token (HTTP).
     *
     * @param payload the payload
     * @return the token
     * @throws FastShareException as {@link SharedMemoryTemplate#write(Object, WriteOptions)}
     */
    public String write(Object payload) {
        return template.write(payload, writeOptions);
    }

    /**
     * Offloads a payload when it is large enough: writes it to a block with the messaging TTL and returns
     * the headers of the claim-check message. A payload below the threshold is not offloaded (the caller
     * sends it through its usual converter, unchanged).
     *
     * @param payload the payload
     * @return the offload, or empty when the payload is below the threshold
     * @throws FastShareException as {@link SharedMemoryTemplate#write(Object, WriteOptions)}
     */
    public Optional<Offload> offload(Object payload) {
        String token = template.write(payload, writeOptions);
        if (token.startsWith(Token.INLINE_PREFIX)) {
            // Below the threshold, or the inline fallback: the usual converter carries it best.
            return Optional.empty();
        }
        Map<String, String> headers = new LinkedHashMap<>(headersFor(token));
        headers.put(FastShareHeaders.PAYLOAD_TYPE, payload.getClass().getName());
        return Optional.of(new Offload(token, headers));
    }

    /**
     * Returns the headers that describe a token just written by this claim check: the token, the
     * producer's block directory, the expiry time and the expected consumer count.
     *
     * @param token a token from {@link #write}
     * @return header names and values
     */
    public Map<String, String> headersFor(String token) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(FastShareHeaders.TOKEN, token);
        headers.put(FastShareHeaders.DIRECTORY, localDirectory.encode());
        headers.put(FastShareHeaders.EXPIRES_AT, Long.toString(clock.millis() + options.ttl().toMillis()));
        headers.put(FastShareHeaders.EXPECTED_CONSUMERS,
                Integer.toString(options.fanOut() == FanOut.TTL_ONLY ? 0 : options.expectedConsumers()));
        return headers;
    }

    /**
     * Releases the block of a message whose send failed after the block was written. Never throws: the
     * send's own failure is what the caller must see.
     *
     * @param token the token from {@link #offload} or {@link #write}
     */
    public void sendFailed(String token) {
        release(token, "a failed send");
    }

    /**
     * Releases the block of a token, logging instead of throwing.
     *
     * @param token the token
     * @param why for the log
     */
    public void release(String token, String why) {
        try {
            template.release(token);
        } catch (FastShareException e) {
            log.warn("fastshare could not release the block of {} after {}: {}", Token.abbreviate(token), why,
                    e.getMessage());
        }
    }

    // ---------------------------------------------------------------- consumer side

    /**
     * Tells whether a message is a claim-check message.
     *
     * @param headers reads a header of the message, null when absent
     * @return true when it carries a token header
     */
    public static boolean isClaimCheck(Function<String, @Nullable String> headers) {
        return headers.apply(FastShareHeaders.TOKEN) != null;
    }

    /**
     * Resolves a claim-check message into its payload. Inside a {@link ReceiveScope}, zero-copy values (a
     * {@link SharedPayload}, NIO buffers, records with NIO buffer fields) are views closed when the scope
     * closes, and the block is counted in as processed when the scope {@linkplain ReceiveScope#succeeded
     * succeeded}. Outside a scope, a {@link SharedPayload} is the caller's to close, buffers are copies, and
     * no block is released (the TTL reclaims it).
     *
     * @param headers reads a header of the message, null when absent
     * @param target the type the consumer wants; {@code Object} for an untyped read (structured payloads
     *     then need the template's allowed types)
     * @return the payload
     * @throws ForeignBlockDirectoryException when the producer's block directory is not this process's
     * @throws BlockNotFoundException when the payload is gone; the message says whether it expired
     * @throws FastShareException when the message is not a claim-check message, or the payload cannot be read
     */
    public Object resolve(Function<String, @Nullable String> headers, Type target) {
        ReceiveScope scope = ReceiveScope.current();
        Object value = resolve(headers, target, scope == null ? null : scope::track);
        if (scope != null) {
            scope.onSuccess(() -> processed(headers));
        }
        return value;
    }

    /**
     * Resolves a claim-check message into its payload, handing zero-copy handles to an owner that closes
     * them when the consumer is done. Releases nothing.
     *
     * @param headers reads a header of the message, null when absent
     * @param target the type the consumer wants
     * @param handles takes each zero-copy handle opened; null when there is no such owner (buffers are then
     *     copies, and a {@link SharedPayload} is the caller's to close)
     * @return the payload
     * @throws ForeignBlockDirectoryException when the producer's block directory is not this process's
     * @throws BlockNotFoundException when the payload is gone; the message says whether it expired
     * @throws FastShareException when the message carries no token, or the payload cannot be read
     */
    public Object resolve(Function<String, @Nullable String> headers, Type target,
            @Nullable Consumer<AutoCloseable> handles) {
        String token = headers.apply(FastShareHeaders.TOKEN);
        if (token == null) {
            throw new FastShareException("message carries no " + FastShareHeaders.TOKEN + " header");
        }
        if (isLocal(token)) {
            checkDirectory(headers);
        }
        try {
            return read(token, target, handles);
        } catch (BlockNotFoundException e) {
            throw explainMissing(token, headers, e);
        }
    }

    private Object read(String token, Type target, @Nullable Consumer<AutoCloseable> handles) {
        if (PayloadTypes.isHandle(target)) {
            SharedPayload handle = template.open(token);
            if (handles != null) {
                handles.accept(handle);
            }
            return handle;
        }
        if (handles != null && PayloadTypes.wantsViews(target)) {
            SharedPayload handle = template.open(token);
            handles.accept(handle);
            return handle.value(target);
        }
        return target == Object.class ? template.read(token) : template.read(token, target);
    }

    /**
     * Counts this consumer in as having processed a claim-check message, and releases the block when the
     * fan-out mode says this consumer is the last. Never throws.
     *
     * @param headers reads a header of the message, null when absent
     */
    public void processed(Function<String, @Nullable String> headers) {
        String token = headers.apply(FastShareHeaders.TOKEN);
        if (token == null || token.startsWith(Token.INLINE_PREFIX)) {
            return;
        }
        int expected = expectedConsumers(headers);
        if (expected == 0) {
            return;
        }
        try {
            if (ledger.arrive(token, expected)) {
                release(token, "the last expected consumer processed it");
            }
        } catch (FastShareException e) {
            log.warn("fastshare could not count a consumer of {}: {}; the TTL will reclaim the block",
                    Token.abbreviate(token), e.getMessage());
        }
    }

    private static int expectedConsumers(Function<String, @Nullable String> headers) {
        String value = headers.apply(FastShareHeaders.EXPECTED_CONSUMERS);
        if (value == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Tells whether a token names a block in the local block directory (a block file or a pool slot), as
     * opposed to an inline token or a block in a remote store (Redis), which any host can read.
     */
    private static boolean isLocal(String token) {
        return token.startsWith(Token.SHARED_PREFIX) || token.startsWith(Token.PREFIX + "pool:");
    }

    /**
     * Returns the identity of this process's block directory.
     *
     * @return the identity
     */
    public DirectoryIdentity localDirectory() {
        return localDirectory;
    }

    private void checkDirectory(Function<String, @Nullable String> headers) {
        String header = headers.apply(FastShareHeaders.DIRECTORY);
        DirectoryIdentity producer = header == null ? null : DirectoryIdentity.parse(header);
        if (producer == null) {
            return;
        }
        String mismatch = localDirectory.mismatch(producer);
        if (mismatch != null) {
            throw new ForeignBlockDirectoryException("cannot read the payload of this message: " + mismatch);
        }
    }

    private BlockNotFoundException explainMissing(String token, Function<String, @Nullable String> headers,
            BlockNotFoundException cause) {
        String expiresAt = headers.apply(FastShareHeaders.EXPIRES_AT);
        long expiry;
        try {
            expiry = expiresAt == null ? -1 : Long.parseLong(expiresAt.trim());
        } catch (NumberFormatException e) {
            expiry = -1;
        }
        String what = "the payload of this message (" + Token.abbreviate(token) + ")";
        if (expiry >= 0 && clock.millis() >= expiry) {
            return new BlockNotFoundException(what + " expired: its block's TTL ended at " + Instant.ofEpochMilli(expiry)
                    + " and the janitor reclaimed it. A message that waits longer than the messaging TTL "
                    + "(fastshare.messaging.ttl; dead-lettered, or its consumer was down) loses its payload; "
                    + "raise the TTL if such messages must stay readable", cause);
        }
        return new BlockNotFoundException(what + " is gone before its TTL" + (expiry >= 0 ? " (until "
                + Instant.ofEpochMilli(expiry) + ")" : "") + " ended: another consumer released it (fan-out mode "
                + "last-consumer with fewer expected consumers than there are), or the producer's template closed and "
                + "released its blocks (set fastshare.release-on-shutdown=false on producers whose messages may outlive "
                + "them). " + cause.getMessage(), cause);
    }
}
