package io.fastshare.messaging;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Which block directory a process uses, as seen from any process: the host's boot id (the same for every
 * container on one kernel, different on another host), the device and inode of the directory (the same
 * through any mount of the same volume, different for another tmpfs) and its path (for messages only).
 * Producers put it in {@link FastShareHeaders#DIRECTORY}; consumers compare it with their own to say in
 * words why a payload cannot be found.
 *
 * <p>Immutable and thread-safe.
 *
 * @param bootId the kernel's boot id, or {@code unknown}
 * @param device the directory's device number, or -1 when unknown
 * @param inode the directory's inode number, or -1 when unknown
 * @param path the directory's path as the process sees it
 */
public record DirectoryIdentity(String bootId, long device, long inode, String path) {

    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    private static final String UNKNOWN = "unknown";

    /**
     * Returns the identity of a block directory of this process.
     *
     * @param directory the block directory
     * @return its identity; fields that cannot be read are unknown
     */
    public static DirectoryIdentity of(Path directory) {
        return new DirectoryIdentity(readBootId(), attribute(directory, "unix:dev"), attribute(directory, "unix:ino"),
                directory.toString());
    }

    private static String readBootId() {
        try {
            return Files.readString(BOOT_ID, StandardCharsets.US_ASCII).trim();
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    private static long attribute(Path directory, String name) {
        try {
            return ((Number) Files.getAttribute(directory, name, LinkOption.NOFOLLOW_LINKS)).longValue();
        } catch (IOException | RuntimeException e) {
            // Not a Unix file system view (or the directory vanished): the check falls back to the path.
            return -1;
        }
    }

    /**
     * Encodes the identity for a message header.
     *
     * @return {@code boot=...;dev=...;ino=...;path=...}
     */
    public String encode() {
        return "boot=" + bootId + ";dev=" + device + ";ino=" + inode + ";path=" + path;
    }

    /**
     * Parses a header written by {@link #encode()}.
     *
     * @param header the header value
     * @return the identity, or null when the header is not in that form (a producer of another version)
     */
    public static @Nullable DirectoryIdentity parse(String header) {
        String[] parts = header.split(";", 4);
        if (parts.length != 4 || !parts[0].startsWith("boot=") || !parts[1].startsWith("dev=")
                || !parts[2].startsWith("ino=") || !parts[3].startsWith("path=")) {
            return null;
        }
        try {
            return new DirectoryIdentity(parts[0].substring(5), Long.parseLong(parts[1].substring(4)),
                    Long.parseLong(parts[2].substring(4)), parts[3].substring(5));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Explains why a producer's directory is not this one, or returns null when they are the same directory
     * (or when too little is known to tell them apart).
     *
     * @param producer the identity from the message
     * @return a sentence for the consumer, or null when the directories match
     */
    public @Nullable String mismatch(DirectoryIdentity producer) {
        if (!UNKNOWN.equals(bootId) && !UNKNOWN.equals(producer.bootId) && !bootId.equals(producer.bootId)) {
            return "the message was produced on another host (boot id " + producer.bootId + ", block directory "
                    + producer.path + "), and this consumer runs on host " + bootId + ": shared memory does not "
                    + "cross hosts, so producer and consumer must run on the same machine";
        }
        boolean idsKnown = device >= 0 && inode >= 0 && producer.device >= 0 && producer.inode >= 0;
        if (idsKnown ? device != producer.device || inode != producer.inode : !path.equals(producer.path)) {
            return "the message's payload is in the producer's block directory " + producer.path + " (device "
                    + producer.device + ", inode " + producer.inode + "), which is not this consumer's block "
                    + "directory " + path + " (device " + device + ", inode " + inode + "): another pod or container "
                    + "that does not share the volume, or a different fastshare.directory; mount the same "
                    + "directory in both and configure it on both sides";
        }
        return null;
    }
}
