package io.fastshare.messaging;

import io.fastshare.FastShareException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * Counts, across processes, the consumers that processed a fan-out message, so that the last one releases
 * the block ({@link FanOut#LAST_CONSUMER}). Each consumer claims the first free slot file
 * {@code .fanout/<kind>-<key>.<n>} with an atomic create-new; the consumer that creates slot
 * {@code expected} is the last, releases the block and deletes the slots. Slots of block files that are
 * gone (the TTL reclaimed them before every consumer came) are swept after a minute, slots of other
 * kinds (pool slots, Redis blocks) after an hour. The count is shared by the processes that share the
 * block directory; consumers of a Redis token on other hosts do not see it.
 *
 * <p>Thread-safe and safe across processes: creating a file that already exists fails for all but one.
 */
final class FanOutLedger {

    static final String DIRECTORY = ".fanout";
    private static final Duration STALE_AFTER = Duration.ofMinutes(1);
    private static final Duration STALE_OTHER_KINDS_AFTER = Duration.ofHours(1);
    private static final String FILE_KIND = "shm-";

    private final Path blockDirectory;
    private final Path slots;
    private final Clock clock;

    FanOutLedger(Path blockDirectory, Clock clock) {
        this.blockDirectory = blockDirectory;
        this.slots = blockDirectory.resolve(DIRECTORY);
        this.clock = clock;
    }

    /**
     * Counts one consumer in.
     *
     * @param token the message's (non-inline) token
     * @param expected how many consumers process the message
     * @return true when this consumer completes the count and must release the block
     * @throws FastShareException when the slot directory cannot be used
     */
    boolean arrive(String token, int expected) {
        if (expected <= 1) {
            return true;
        }
        String blockName = slotName(token);
        ensureDirectory();
        sweep();
        for (int slot = 1; slot <= expected; slot++) {
            try {
                Files.createFile(slots.resolve(blockName + "." + slot));
            } catch (FileAlreadyExistsException e) {
                continue;
            } catch (IOException e) {
                throw new FastShareException("cannot count a consumer of block " + blockName + " in " + slots + ": "
                        + e, e);
            }
            if (slot == expected) {
                for (int i = 1; i <= expected; i++) {
                    deleteQuietly(slots.resolve(blockName + "." + i));
                }
                return true;
            }
            return false;
        }
        // More consumers than expected: the block was released by the one that completed the count.
        return false;
    }

    private void ensureDirectory() {
        if (Files.isDirectory(slots, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(blockDirectory);
            Files.createDirectories(slots, PosixFilePermissions.asFileAttribute(permissions));
            // The umask may have narrowed the mode; peers of a group-shared directory need the same access.
            Files.setPosixFilePermissions(slots, permissions);
        } catch (FileAlreadyExistsException e) {
            // another consumer created it just now
        } catch (IOException | UnsupportedOperationException e) {
            throw new FastShareException("cannot create the fan-out ledger " + slots + ": " + e, e);
        }
    }

    /** {@code FSHR:shm:FSHR_x} becomes {@code shm-FSHR_x}; characters a file name cannot hold become '_'. */
    private static String slotName(String token) {
        String kindAndKey = token.startsWith("FSHR:") ? token.substring(5) : token;
        return kindAndKey.replaceFirst(":", "-").replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /** Deletes slot files whose block file is gone and that are older than a minute (other kinds: an hour). */
    private void sweep() {
        long now = clock.millis();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(slots)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                int dot = name.lastIndexOf('.');
                if (dot <= 0) {
                    continue;
                }
                boolean blockFile = name.startsWith(FILE_KIND);
                if (blockFile && Files.exists(blockDirectory.resolve(name.substring(FILE_KIND.length(), dot)),
                        LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long cutoff = now - (blockFile ? STALE_AFTER : STALE_OTHER_KINDS_AFTER).toMillis();
                try {
                    FileTime modified = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
                    if (modified.toMillis() < cutoff) {
                        Files.deleteIfExists(file);
                    }
                } catch (NoSuchFileException e) {
                    // swept by another consumer
                }
            }
        } catch (IOException e) {
            // A sweep is housekeeping: the count itself still works.
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // left for the sweep
        }
    }
}
