/**
 * The pooled shared-memory store: segment files in {@code <block directory>/.pool/} whose pages are
 * allocated and faulted once and then reused, divided into slots of one size class each. A slot holds
 * one block in the ordinary block format. Slot ownership, reader pins and state changes follow the
 * protocol of {@code docs/block-format.md} ("Pooled blocks"): kernel byte-range locks, which the
 * kernel drops when a process dies, so no lock and no pin outlives its process.
 *
 * <p>Entry points: {@link io.fastshare.store.pool.BlockPool} (a writer's own segments: allocate,
 * publish, decay), {@link io.fastshare.store.pool.PoolReader} (open, claim, release by
 * {@link io.fastshare.store.pool.SlotRef}) and {@link io.fastshare.store.pool.PoolJanitor}
 * (reclaims what dead processes left).
 */
@NullMarked
package io.fastshare.store.pool;

import org.jspecify.annotations.NullMarked;
