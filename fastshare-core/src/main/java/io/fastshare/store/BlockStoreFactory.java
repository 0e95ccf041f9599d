package io.fastshare.store;

/**
 * Creates a {@link BlockStore} for a template being built, from what the template shares with its
 * stores. Register one with {@link io.fastshare.SharedMemoryTemplate.Builder#store(BlockStoreFactory)}.
 */
@FunctionalInterface
public interface BlockStoreFactory {

    /**
     * Creates the store. Called once, by {@code build()}, after the block directory is open and the
     * owner lease is held.
     *
     * @param context the template's directory, owner, clock and randomness
     * @return the store; the template closes it
     * @throws io.fastshare.FastShareException when the store cannot be created; the template is then not built
     */
    BlockStore create(StoreContext context);
}
