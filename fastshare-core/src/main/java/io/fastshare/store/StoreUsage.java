package io.fastshare.store;

/**
 * What one template holds in a {@link BlockStore} and how much room the store has.
 *
 * @param kind the store's token kind
 * @param blocks blocks this template wrote to the store and has not seen released
 * @param bytes their total size in bytes
 * @param capacity the store's total size in bytes (a filesystem, a pool), -1 when unknown or unbounded
 * @param free bytes the store can still take, -1 when unknown
 */
public record StoreUsage(String kind, int blocks, long bytes, long capacity, long free) {
}
