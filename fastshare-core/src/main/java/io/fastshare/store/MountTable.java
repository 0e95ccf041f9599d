package io.fastshare.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds the filesystem a path lives on from Linux's {@code /proc/self/mountinfo}, to tell whether the
 * block directory is a tmpfs and whether that tmpfs allocates transparent huge pages: fresh 4 KiB tmpfs
 * pages are the main cost of a handoff (see docs/operations.md), so the starter suggests the mount
 * option when it is missing.
 *
 * <p>Stateless and thread-safe.
 */
public final class MountTable {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final Path SHMEM_HUGE = Path.of("/sys/kernel/mm/transparent_hugepage/shmem_enabled");

    /**
     * One mount.
     *
     * @param mountPoint where it is mounted
     * @param type filesystem type, such as {@code tmpfs}
     * @param superOptions filesystem-specific options, such as {@code rw,size=65536k,huge=within_size}
     */
    public record Mount(String mountPoint, String type, String superOptions) {

        /**
         * Tells whether this tmpfs allocates huge pages for regular files written with {@code write()}:
         * mounted with {@code huge=always} or {@code huge=within_size}, or forced by the kernel setting.
         *
         * @param kernelSetting content of {@code shmem_enabled}, empty when unknown
         * @return true when block files get huge pages
         */
        public boolean hugePages(String kernelSetting) {
            if (kernelSetting.contains("[force]")) {
                return true;
            }
            if (kernelSetting.contains("[deny]")) {
                return false;
            }
            for (String option : superOptions.split(",")) {
                if (option.equals("huge=always") || option.equals("huge=within_size")) {
                    return true;
                }
            }
            return false;
        }
    }

    private MountTable() {
    }

    /**
     * Finds the mount holding a path on this machine.
     *
     * @param path an existing path
     * @return the mount, or empty where {@code /proc/self/mountinfo} is unavailable (not Linux)
     */
    public static Optional<Mount> mountOf(Path path) {
        try {
            return find(Files.readAllLines(MOUNTINFO), path.toRealPath().toString());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Tells whether a path lives on a tmpfs that uses huge pages.
     *
     * @param path an existing path
     * @return true or false for a tmpfs; empty for other filesystems or where it cannot be told
     */
    public static Optional<Boolean> tmpfsHugePages(Path path) {
        String kernel;
        try {
            kernel = Files.readString(SHMEM_HUGE);
        } catch (IOException | RuntimeException e) {
            kernel = "";
        }
        String setting = kernel;
        return mountOf(path).filter(m -> m.type().equals("tmpfs")).map(m -> m.hugePages(setting));
    }

    /**
     * Picks, from mountinfo lines, the mount with the longest mount point containing {@code realPath}
     * (the last one listed wins among equals: later mounts hide earlier ones).
     *
     * @param lines lines of {@code /proc/self/mountinfo}
     * @param realPath an absolute path without links
     * @return the mount, or empty when no line parses
     */
    static Optional<Mount> find(List<String> lines, String realPath) {
        Mount best = null;
        for (String line : lines) {
            String[] fields = line.split(" ");
            int separator = List.of(fields).indexOf("-");
            if (fields.length < 5 || separator < 0 || separator + 3 >= fields.length) {
                continue;
            }
            String mountPoint = unescape(fields[4]);
            boolean contains = realPath.equals(mountPoint) || mountPoint.equals("/")
                    || realPath.startsWith(mountPoint + "/");
            if (contains && (best == null || mountPoint.length() >= best.mountPoint().length())) {
                best = new Mount(mountPoint, fields[separator + 1], fields[separator + 3]);
            }
        }
        return Optional.ofNullable(best);
    }

    /** mountinfo escapes space, tab, newline and backslash as three octal digits. */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                try {
                    out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException ignored) {
                    // not an escape: keep the backslash
                }
            }
            out.append(c);
        }
        return out.toString();
    }
}
