package io.fastshare.store.pool;

import org.jspecify.annotations.Nullable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
 * <p>Thread-safe.
 */
final class SegmentRegistry {

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
     */
    static Segment use(Path file) {
        synchronized (SEGMENTS) {
            Segment segment = SEGMENTS.get(file);
            if (segment == null) {
                if (CREATING.contains(file)) {
                    throw new io.fastshare.BlockNotFoundException("pool segment " + file.getFileName()
                            + " is still being created");
                }
                segment = Segment.attach(file);
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

    /** Marks a file as being created in this JVM, before it exists. */
    static void creating(Path file) {
        synchronized (SEGMENTS) {
            CREATING.add(file);
        }
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
