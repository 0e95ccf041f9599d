package io.fastshare.store.redis;

import io.fastshare.AllocationException;
import io.fastshare.FastShareException;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;

import java.util.Locale;

/**
 * Turns what the Redis client throws into fastshare exceptions whose message names the cause and the
 * setting that fixes it. Writes fail with {@link AllocationException} (so the template's fallback
 * rules apply: inline when small enough, never local shared memory); reads with
 * {@link FastShareException}.
 *
 * <p>Stateless and thread-safe.
 */
final class RedisErrors {

    /** What went wrong, as far as the client's exception tells. */
    enum Cause {
        UNREACHABLE, TIMEOUT, OUT_OF_MEMORY, VALUE_TOO_LARGE, NO_PERMISSION, CLUSTER_DOWN, OTHER
    }

    private RedisErrors() {
    }

    /**
     * Translates a failure of a write.
     *
     * @param error what the client threw
     * @param what the operation, such as {@code "writing a 67108992-byte block"}
     * @param chunkSize the configured chunk size, named when a value was too large
     * @return the exception to throw
     */
    static FastShareException onWrite(RuntimeException error, String what, int chunkSize) {
        if (error instanceof FastShareException fast) {
            return fast;
        }
        String message = message(error, what, chunkSize);
        if (classify(error) == Cause.UNREACHABLE) {
            // Redis answers a value over proto-max-bulk-len by closing the connection, and the error
            // reply is often lost with it: a write that loses its connection may be that case.
            message += "; if the connection drops at every write of a large block while small ones succeed, a chunk of "
                    + chunkSize + " bytes is over the server's proto-max-bulk-len: lower fastshare.redis.chunk-size";
        }
        return new AllocationException(message, error);
    }

    /**
     * Translates a failure of a read, take, release or probe.
     *
     * @param error what the client threw
     * @param what the operation, such as {@code "reading block FSHR_..."}
     * @return the exception to throw
     */
    static FastShareException onRead(RuntimeException error, String what) {
        if (error instanceof FastShareException fast) {
            return fast;
        }
        return new FastShareException(message(error, what, 0), error);
    }

    /**
     * Classifies a failure.
     *
     * @param error what the client threw
     * @return the cause
     */
    static Cause classify(Throwable error) {
        String text = messages(error).toLowerCase(Locale.ROOT);
        if (text.contains("oom command not allowed")) {
            return Cause.OUT_OF_MEMORY;
        }
        if (text.contains("invalid bulk length") || text.contains("protocol error")) {
            return Cause.VALUE_TOO_LARGE;
        }
        if (text.contains("noperm") || text.contains("noauth") || text.contains("wrongpass")) {
            return Cause.NO_PERMISSION;
        }
        if (text.contains("clusterdown")) {
            return Cause.CLUSTER_DOWN;
        }
        if (has(error, QueryTimeoutException.class) || text.contains("timed out")) {
            return Cause.TIMEOUT;
        }
        if (has(error, RedisConnectionFailureException.class) || text.contains("unable to connect")
                || text.contains("connection refused") || text.contains("connection closed")
                || text.contains("connection reset") || text.contains("not connected")) {
            return Cause.UNREACHABLE;
        }
        return Cause.OTHER;
    }

    private static String message(RuntimeException error, String what, int chunkSize) {
        String detail = " (" + rootMessage(error) + ")";
        return switch (classify(error)) {
            case UNREACHABLE -> "Redis is unreachable while " + what + detail + "; check that it runs and the "
                    + "connection settings (spring.data.redis.host, port or url, sentinel or cluster nodes, TLS via "
                    + "spring.data.redis.ssl.enabled, credentials)";
            case TIMEOUT -> "Redis did not answer in time while " + what + detail + "; check its load and "
                    + "network, or raise spring.data.redis.timeout";
            case OUT_OF_MEMORY -> "Redis is out of memory (used memory reached maxmemory) while " + what + detail
                    + "; raise Redis's maxmemory, release or take blocks sooner, or shorten their TTL "
                    + "(fastshare.default-ttl)";
            case VALUE_TOO_LARGE -> "Redis refused a value while " + what + detail + ": a chunk of "
                    + (chunkSize > 0 ? chunkSize + " bytes" : "this block")
                    + " is over the server's proto-max-bulk-len; lower fastshare.redis.chunk-size or raise "
                    + "proto-max-bulk-len";
            case NO_PERMISSION -> "Redis refused the command while " + what + detail + "; the Redis user needs "
                    + "GET, SET, DEL, EXISTS, PTTL, PEXPIRE, PERSIST and EVAL on the keys of fastshare.redis.key-prefix "
                    + "(ACL example: +@read +@write +eval ~fastshare:*), and the password in spring.data.redis.password";
            case CLUSTER_DOWN -> "Redis Cluster is down while " + what + detail + "; a hash slot has no "
                    + "reachable master";
            case OTHER -> "Redis failed while " + what + detail;
        };
    }

    private static boolean has(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String messages(Throwable error) {
        StringBuilder all = new StringBuilder();
        int depth = 0;
        for (Throwable t = error; t != null && depth < 10; t = t.getCause() == t ? null : t.getCause(), depth++) {
            all.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        int depth = 0;
        while (root.getCause() != null && root.getCause() != root && depth++ < 10) {
            root = root.getCause();
        }
        @Nullable String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
