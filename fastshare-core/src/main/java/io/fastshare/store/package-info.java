/**
 * Where blocks live: the store seam ({@link io.fastshare.store.BlockStore}, {@link io.fastshare.store.BlockHandle},
 * {@link io.fastshare.store.BlockStores}) and its file implementation ({@link io.fastshare.store.FileBlockStore}):
 * the block directory, writing and mapping block files, owner leases.
 */
@NullMarked
package io.fastshare.store;

import org.jspecify.annotations.NullMarked;
