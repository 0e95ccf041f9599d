package io.fastshare.store;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.WriteOptions;

import io.fastshare.store.pool.PoolReader;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Entry points called by reflection in a copy of fastshare loaded by its own class loader: only JDK
 * types cross the class loader boundary.
 */
public final class LoaderPeer {

    private LoaderPeer() {
    }

    /**
     * Builds a template on a directory.
     *
     * @param dir the block directory
     * @return the template
     */
    public static AutoCloseable open(String dir) {
        return SharedMemoryTemplate.builder().directory(Path.of(dir)).poolSize(0).build();
    }

    /**
     * Builds a template on a directory with the default pool.
     *
     * @param dir the block directory
     * @return the template
     */
    public static AutoCloseable openPooled(String dir) {
        return SharedMemoryTemplate.builder().directory(Path.of(dir)).build();
    }

    /**
     * Unmaps every pool segment this copy maps and no longer uses, whatever its idle time.
     *
     * @return how many were unmapped
     */
    public static int unmapPoolSegments() {
        return PoolReader.trim(Duration.ZERO);
    }

    /**
     * Releases a block.
     *
     * @param template a template from {@link #open}
     * @param token the token
     * @return whether it was released
     */
    public static boolean release(AutoCloseable template, String token) {
        return ((SharedMemoryTemplate) template).release(token);
    }

    /**
     * Writes a shared block without TTL.
     *
     * @param template a template from {@link #open}
     * @param size payload size
     * @return the token
     */
    public static String write(AutoCloseable template, int size) {
        return ((SharedMemoryTemplate) template).write(new byte[size], WriteOptions.defaults().shared().noTtl());
    }

    /**
     * Lists the directory's blocks, probing every owner's lease.
     *
     * @param template a template from {@link #open}
     * @return the number of blocks
     */
    public static int blocks(AutoCloseable template) {
        return ((SharedMemoryTemplate) template).blocks().size();
    }

    /**
     * Reads a block.
     *
     * @param template a template from {@link #open}
     * @param token the token
     * @return the payload length
     */
    public static int read(AutoCloseable template, String token) {
        return ((SharedMemoryTemplate) template).read(token, byte[].class).length;
    }
}
