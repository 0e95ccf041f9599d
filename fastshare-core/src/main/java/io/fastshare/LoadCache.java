package io.fastshare;

import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The per-template cache behind {@link SharedMemoryTemplate#load}: one decoded value per token and
 * requested type. Concurrent loads of the same key decode once; the others wait for that result. A
 * failed load is not cached.
 *
 * <p>Thread-safe.
 */
final class LoadCache {

    private record Key(String token, Type type) {
    }

    private final ConcurrentMap<Key, CompletableFuture<Object>> values = new ConcurrentHashMap<>();

    /**
     * Returns the cached value for a token and type, decoding it with {@code loader} on the first call.
     *
     * @throws FastShareException what the loader throws, to every caller waiting on that load
     */
    Object get(String token, Type type, Supplier<Object> loader) {
        Key key = new Key(token, type);
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> existing = values.putIfAbsent(key, mine);
        if (existing == null) {
            try {
                mine.complete(loader.get());
            } catch (RuntimeException | Error e) {
                values.remove(key, mine);
                mine.completeExceptionally(e);
                throw e;
            }
            return mine.join();
        }
        try {
            return existing.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Drops every cached value. */
    void clear() {
        values.clear();
    }

    /** Returns the number of cached values. */
    int size() {
        return values.size();
    }
}
