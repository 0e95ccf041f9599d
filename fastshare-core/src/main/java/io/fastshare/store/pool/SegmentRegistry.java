package io.fastshare.store.pool;

import io.fastshare.AnotherCopyException;
import org.jspecify.annotations.Nullable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The JVM-wide table of mapped pool segments: exactly one {@link Segment} (one channel, one mapping)
 * per segment file per JVM, whichever templates, readers or janitors use it. A second channel on the
 * same file, closed anywhere in the JVM, would silently drop every kernel lock this process holds on
 * it (pins, owner lock), so nothing in the library opens a segment file except through here.
 *
 * <p>Each {@link #use} is paired with a {@link #done}; a segment is unmapped only when it has no users
 * (so no thread can touch an unmapped segment) and no pins or holds.
 *
 * <p>The same holds across copies of fastshare in one JVM (other class loaders), which have their own
 * static fields but share the process's kernel locks: every file this copy maps or creates is claimed
 * in the JVM's system properties ({@value #PREFIX}{@code <file path>} = this copy's id, as
 * {@code HeldLeases} records leases), and a file claimed by another copy is never opened here
 * ({@link AnotherCopyException}).
 *
 * <p>Thread-safe.
 */
final class SegmentRegistry {

    /** Prefix of the system properties that record which copy of fastshare maps a segment file. */
    static final String PREFIX = "io.fastshare.pool.segment.";
    /** This copy of the library (this class loader's): the value of its claims. */
    private static final String COPY = UUID.randomUUID().toString();
    private static final Map<Path, Segment> SEGMENTS = new HashMap<>();
    /** Files being created in this JVM: the janitor must not open them. */
    private static final Set<Path> CREATING = new HashSet<>();

    private SegmentRegistry() {
    }

    /**
     * Returns the segment mapped for a file, attaching it on first use, and counts one user.
     *
     * @param file segment file (absolute, normalised)
     * @return the segment; pass it to {@link #done} when finished
     * @throws io.fastshare.BlockNotFoundException when the file does not exist or is retired
     * @throws io.fastshare.CorruptBlockException when it is not a valid segment
     * @throws AnotherCopyException when another copy of fastshare in this JVM maps the file
     */
    static Segment use(Path file) {
        synchronized (SEGMENTS) {
            Segment segment = SEGMENTS.get(file);
            if (segment == null) {
                if (CREATING.contains(file)) {
                    throw new io.fastshare.BlockNotFoundException("pool segment " + file.getFileName()
                            + " is still being created");
                }
                claim(file);
                try {
                    segment = Segment.attach(file);
                } catch (RuntimeException e) {
                    unclaim(file);
                    throw e;
                }
                SEGMENTS.put(file, segment);
            }
            segment.users++;
            segment.touch();
            return segment;
        }
    }

    /**
     * Returns the segment for a file only when this JVM has it mapped already, counting one user.
     *
     * @param file segment file
     * @return the segment, or null
     */
    static @Nullable Segment useIfMapped(Path file) {
        synchronized (SEGMENTS) {
            Segment segment = SEGMENTS.get(file);
            if (segment != null) {
                segment.users++;
            }
            return segment;
        }
    }

    /**
     * Counts one more user of a segment already in use by the caller.
     *
     * @param segment a segment the caller uses
     */
    static void useAgain(Segment segment) {
        synchronized (SEGMENTS) {
            if (segment.users <= 0) {
                throw new IllegalStateException("segment " + segment + " has no users");
            }
            segment.users++;
        }
    }

    /**
     * Ends one use.
     *
     * @param segment a segment from {@link #use} or {@link #register}
     */
    static void done(Segment segment) {
        synchronized (SEGMENTS) {
            if (segment.users <= 0) {
                throw new IllegalStateException("segment " + segment + " has no users");
            }
            segment.users--;
        }
    }

    /**
     * Marks a file as being created in this JVM, before it exists.
     *
     * @throws AnotherCopyException when another copy of fastshare in this JVM claimed the name
     */
    static void creating(Path file) {
        synchronized (SEGMENTS) {
            claim(file);
            CREATING.add(file);
        }
    }

    /**
     * Claims a file for this copy of the library, JVM-wide, before any channel is opened on it.
     *
     * @param file segment file (absolute, normalised)
     * @throws AnotherCopyException when another copy holds the claim
     */
    static void claim(Path file) {
        Object holder = System.getProperties().putIfAbsent(PREFIX + file, COPY);
        if (holder != null && !COPY.equals(holder)) {
            throw new AnotherCopyException("pool segment " + file.getFileName() + " is in use by another copy of "
                    + "fastshare in this JVM (another class loader); this copy leaves it alone, since its own channel "
                    + "on the file would drop the other copy's kernel locks when closed. Read the block with the copy "
                    + "that wrote it, or load fastshare once per JVM (or set the pool size to 0 so blocks go to "
                    + "block files)");
        }
    }

    /**
     * Runs an action that opens its own channel on a file nobody in the JVM maps: the file is claimed
     * for the action, and this copy's other threads wait (they cannot attach it meanwhile).
     *
     * @param file segment file
     * @param action opens, inspects and closes its channel
     * @param otherwise the result when the file is mapped, being created or claimed by another copy
     * @return what the action returns, or {@code otherwise}
     */
    static long whileUnmapped(Path file, java.util.function.LongSupplier action, long otherwise) {
        synchronized (SEGMENTS) {
            if (SEGMENTS.containsKey(file) || CREATING.contains(file)
                    || System.getProperties().putIfAbsent(PREFIX + file, COPY) != null) {
                return otherwise;
            }
            try {
                return action.getAsLong();
            } finally {
                unclaim(file);
            }
        }
    }

    /**
     * Tells whether another copy of fastshare in this JVM claims a file.
     *
     * @param file segment file
     * @return true when another class loader's copy maps or creates it
     */
    static boolean claimedByAnotherCopy(Path file) {
        Object holder = System.getProperties().get(PREFIX + file);
        return holder != null && !COPY.equals(holder);
    }

    /** Ends this copy's claim of a file; call only after its channel is closed (or was never opened). */
    static void unclaim(Path file) {
        System.getProperties().remove(PREFIX + file, COPY);
    }

    /** Tells whether a file is being created in this JVM. */
    static boolean isCreating(Path file) {
        synchronized (SEGMENTS) {
            return CREATING.contains(file);
        }
    }

    /**
     * Registers a segment this JVM created, with one user (its owner), and ends its "creating" mark.
     * Call with a null segment when creation failed.
     */
    static void created(Path file, @Nullable Segment segment) {
        synchronized (SEGMENTS) {
            CREATING.remove(file);
            if (segment != null) {
                segment.users++;
                SEGMENTS.put(file, segment);
            } else {
                unclaim(file);
            }
        }
    }

    /**
     * Unmaps and forgets a segment when nothing in the JVM uses it.
     *
     * @param segment the segment
     * @return true when it was closed
     */
    static boolean closeIfUnused(Segment segment) {
        synchronized (SEGMENTS) {
            if (segment.users > 0 || segment.hasLocalHolds()) {
                return false;
            }
            SEGMENTS.remove(segment.file(), segment);
            segment.close();
            unclaim(segment.file());
            return true;
        }
    }

    /**
     * Unmaps every unused segment that matches, such as retired segments or those whose file is gone.
     *
     * @param stale which segments to drop
     * @return how many were closed
     */
    static int closeUnused(Predicate<Segment> stale) {
        synchronized (SEGMENTS) {
            int closed = 0;
            for (Segment segment : new ArrayList<>(SEGMENTS.values())) {
                if (segment.users == 0 && !segment.hasLocalHolds() && stale.test(segment)) {
                    SEGMENTS.remove(segment.file(), segment);
                    segment.close();
                    unclaim(segment.file());
                    closed++;
                }
            }
            return closed;
        }
    }

    /** Returns how many segments this JVM has mapped. */
    static int mappedCount() {
        synchronized (SEGMENTS) {
            return SEGMENTS.size();
        }
    }
}
