package io.fastshare.messaging.http;

import io.fastshare.messaging.ClaimCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one HTTP exchange owns in shared memory: the blocks to release and the zero-copy handles to close
 * when the exchange is done. The side that sees the exchange end (a client request factory, an exchange
 * filter, a request scope, a web filter) creates it and {@linkplain #close closes} it; the converters and
 * codecs that write or read bodies add to it.
 *
 * <p>A token or handle added after the exchange was closed (a body written on another thread while the
 * exchange was cancelled) is released or closed at once, so nothing outlives the exchange.
 *
 * <p>Thread-safe.
 */
public final class ExchangeBlocks {

    /** Request or exchange attribute under which an exchange's instance is kept. */
    public static final String ATTRIBUTE = ExchangeBlocks.class.getName();

    private static final Logger log = LoggerFactory.getLogger(ExchangeBlocks.class);

    private final List<Owned> owned = new ArrayList<>();
    private final List<AutoCloseable> handles = new ArrayList<>();
    private boolean closed;

    private record Owned(ClaimCheck claimCheck, String token) {
    }

    /**
     * Creates an empty instance for one exchange.
     */
    public ExchangeBlocks() {
    }

    /**
     * Returns the instance kept in an attribute map, creating and storing one when there is none.
     *
     * @param attributes the attributes of a request or exchange
     * @return the instance of that exchange
     */
    public static ExchangeBlocks of(Map<String, Object> attributes) {
        Object existing = attributes.get(ATTRIBUTE);
        if (existing instanceof ExchangeBlocks blocks) {
            return blocks;
        }
        ExchangeBlocks blocks = new ExchangeBlocks();
        attributes.put(ATTRIBUTE, blocks);
        return blocks;
    }

    /**
     * Records a block to release when the exchange is done; releases it now when it is done already.
     *
     * @param claimCheck the claim check that releases it
     * @param token the block's token
     */
    public void release(ClaimCheck claimCheck, String token) {
        synchronized (this) {
            if (!closed) {
                owned.add(new Owned(claimCheck, token));
                return;
            }
        }
        claimCheck.release(token, "the HTTP exchange was over");
    }

    /**
     * Records a zero-copy handle to close when the exchange is done; closes it now when it is done already.
     *
     * @param handle the handle
     */
    public void track(AutoCloseable handle) {
        synchronized (this) {
            if (!closed) {
                handles.add(handle);
                return;
            }
        }
        closeQuietly(handle);
    }

    /**
     * Ends the exchange: closes the handles (their views become invalid), then releases the blocks.
     * Idempotent; never throws.
     *
     * @param why for the log of a block that could not be released
     */
    public void close(String why) {
        List<AutoCloseable> toClose;
        List<Owned> toRelease;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(handles);
            toRelease = new ArrayList<>(owned);
            handles.clear();
            owned.clear();
        }
        toClose.forEach(ExchangeBlocks::closeQuietly);
        for (Owned o : toRelease) {
            o.claimCheck().release(o.token(), why);
        }
    }

    private static void closeQuietly(AutoCloseable handle) {
        try {
            handle.close();
        } catch (Exception e) {
            log.warn("fastshare could not close a payload handle: {}", e.getMessage(), e);
        }
    }
}
