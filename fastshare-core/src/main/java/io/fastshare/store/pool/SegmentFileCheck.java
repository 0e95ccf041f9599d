package io.fastshare.store.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Tells whether a mapped segment file still holds the bytes a reader is about to touch. The library
 * never shrinks a segment, but a peer with write access to the pool directory can; touching a page
 * past the new end of the file raises SIGBUS, which the JVM reports as an {@code InternalError} at
 * some later point of the thread, not where the access happened, so it cannot be caught reliably.
 * Checking the file size first (one {@code stat}) turns the common case into a clean refusal; a cut
 * racing the check is still possible, as for views of block files.
 *
 * <p>Stateless and thread-safe.
 */
final class SegmentFileCheck {

    private SegmentFileCheck() {
    }

    /**
     * Tells whether a segment file reaches at least to an offset.
     *
     * @param file the segment file
     * @param end the end of the bytes about to be read (exclusive)
     * @return true when the file is at least that long, or gone (an unlinked file keeps every mapped
     *     page, so the mapping is still safe to read); false when it is shorter or cannot be examined
     */
    static boolean covers(Path file, long end) {
        try {
            return (long) Files.getAttribute(file, "size", LinkOption.NOFOLLOW_LINKS) >= end;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Tells whether a segment file still has its full size (header, slot table and every slot).
     *
     * @param segment the mapped segment
     * @return true when reading any part of the mapping is safe
     */
    static boolean intact(Segment segment) {
        return covers(segment.file(), PoolLayout.DATA_OFFSET + segment.slotSize() * segment.slotCount());
    }
}
