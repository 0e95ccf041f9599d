package io.fastshare.store;

import io.fastshare.format.OwnerId;

/**
 * The owner ids whose lease this JVM holds (or is acquiring), for the whole JVM rather than one class
 * loader. Two copies of fastshare in one JVM (two web applications in one servlet container, OSGi
 * bundles, child-first loaders of Flink or Spark) each have their own static fields, but they share
 * the kernel's POSIX record locks, which belong to the process: if one copy opened and closed a
 * channel on a lease file the other copy holds, the close would drop that lease's lock silently, and
 * another process's janitor would reclaim live blocks.
 *
 * <p>So the registry lives where every class loader sees the same data: the JVM's system properties,
 * one {@code String} entry per held lease ({@value #PREFIX}{@code <owner hex>} = lease file path).
 * Plain strings, so tools that list or copy system properties keep working. The monitor that
 * serialises lease probes ({@link #PROBE_MONITOR}) is an interned string literal, which the JVM
 * shares between class loaders for the same reason.
 *
 * <p>Thread-safe.
 */
public final class HeldLeases {

    /** Prefix of the system properties that record held leases. */
    public static final String PREFIX = "io.fastshare.lease.held.";

    /**
     * Monitor serialising lease probes across every copy of fastshare in this JVM: a string literal is
     * interned, so each class loader's copy of this constant is the same object.
     */
    static final Object PROBE_MONITOR = "io.fastshare.store.HeldLeases.PROBE_MONITOR";

    private HeldLeases() {
    }

    /**
     * Records that this JVM holds (or is about to create) an owner's lease. Call before the lease file
     * exists, so no probe of this JVM ever opens it.
     *
     * @param owner the owner id
     * @param file the lease file, recorded for diagnosis
     */
    static void register(OwnerId owner, String file) {
        System.setProperty(key(owner), file);
    }

    /**
     * Forgets an owner's lease. Call only after the lease's channel is closed.
     *
     * @param owner the owner id
     */
    static void unregister(OwnerId owner) {
        System.clearProperty(key(owner));
    }

    /**
     * Tells whether any copy of fastshare in this JVM holds (or is acquiring) an owner's lease.
     *
     * @param owner the owner id
     * @return true when the lease is held in this JVM
     */
    public static boolean contains(OwnerId owner) {
        return System.getProperty(key(owner)) != null;
    }

    private static String key(OwnerId owner) {
        return PREFIX + owner.toHex();
    }
}
