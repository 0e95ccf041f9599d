package io.fastshare.store.redis;

import java.nio.charset.StandardCharsets;

/**
 * The Lua scripts that make commit and removal (release, or the claim of a take) atomic. Every script receives the commit key
 * and all chunk keys as {@code KEYS} (the commit key first); they share one hash slot, so the scripts
 * run unchanged on Redis Cluster. Loops rather than {@code unpack}, which is limited to a few
 * thousand values.
 */
final class RedisScripts {

    /**
     * Commits a block. ARGV: manifest value, TTL in milliseconds (0: none). Returns 1, or 0 when a
     * chunk is missing (it expired or was evicted during the write): then nothing is committed.
     * Every key gets the same TTL, or none, so no key outlives another by more than Redis's own
     * expiry cycle.
     */
    static final byte[] COMMIT = script("""
            for i = 2, #KEYS do
              if redis.call('EXISTS', KEYS[i]) == 0 then return 0 end
            end
            local ttl = tonumber(ARGV[2])
            for i = 2, #KEYS do
              if ttl > 0 then redis.call('PEXPIRE', KEYS[i], ttl) else redis.call('PERSIST', KEYS[i]) end
            end
            if ttl > 0 then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl, 'NX')
            else
              redis.call('SET', KEYS[1], ARGV[1], 'NX')
            end
            return 1
            """);

    /**
     * Removes a committed block: a release, or the claim of a {@code take} (which read the bytes
     * first). ARGV: the commit key's value as the caller read it. Returns 1 for the one caller that
     * removed it, across all hosts; 0 for everyone else (already released, taken or expired).
     */
    static final byte[] REMOVE = script("""
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            for i = 1, #KEYS do redis.call('DEL', KEYS[i]) end
            return 1
            """);

    private RedisScripts() {
    }

    private static byte[] script(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
