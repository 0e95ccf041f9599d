package io.fastshare.store;

import io.fastshare.MemoryHeadroom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads the memory limit and usage of this process's memory cgroup, v2 ({@code memory.max},
 * {@code memory.current}) or v1 ({@code memory.limit_in_bytes}, {@code memory.usage_in_bytes}). The
 * cgroup is found through {@code /proc/self/cgroup} and the cgroup mounts of
 * {@code /proc/self/mountinfo}; every ancestor up to the mount is read too, since their limits apply
 * as well. Usage subtracts the inactive file cache ({@code memory.stat}), which the kernel reclaims
 * before it kills.
 *
 * <p>All paths are resolved under a root directory, {@code /} on a real system and a directory of
 * fixture files in tests. Nothing is written. Where no cgroup file is readable (not Linux, no memory
 * controller, no limit) there is simply no headroom to report.
 *
 * <p>Immutable and thread-safe; each {@link #headroom} call reads the files afresh.
 */
public final class MemoryCgroup {

    /** v1 reports "no limit" as a huge page-rounded number; anything from 2^62 on means unlimited. */
    private static final long UNLIMITED = 1L << 62;

    private final Path directory;
    private final Path mountPoint;
    private final boolean v2;

    private MemoryCgroup(Path directory, Path mountPoint, boolean v2) {
        this.directory = directory;
        this.mountPoint = mountPoint;
        this.v2 = v2;
    }

    /**
     * Finds this process's memory cgroup on this machine.
     *
     * @return the cgroup, or empty when it cannot be found
     */
    public static Optional<MemoryCgroup> detect() {
        return detect(Path.of("/"));
    }

    /**
     * Finds the memory cgroup described by {@code proc/self/cgroup} and {@code proc/self/mountinfo}
     * under a root directory.
     *
     * @param root {@code /}, or a directory of fixture files
     * @return the cgroup, or empty when the files are missing or name no memory cgroup
     */
    public static Optional<MemoryCgroup> detect(Path root) {
        try {
            List<String> cgroups = Files.readAllLines(root.resolve("proc/self/cgroup"));
            List<String> mounts = Files.readAllLines(root.resolve("proc/self/mountinfo"));
            String v1Path = null;
            String v2Path = null;
            for (String line : cgroups) {
                String[] fields = line.split(":", 3);
                if (fields.length < 3) {
                    continue;
                }
                if (fields[0].equals("0") && fields[1].isEmpty()) {
                    v2Path = fields[2];
                } else if (List.of(fields[1].split(",")).contains("memory")) {
                    v1Path = fields[2];
                }
            }
            for (String line : mounts) {
                String[] fields = line.split(" ");
                int separator = List.of(fields).indexOf("-");
                if (fields.length < 5 || separator < 0 || separator + 3 >= fields.length) {
                    continue;
                }
                String type = fields[separator + 1];
                String mountRoot = MountTable.unescape(fields[3]);
                Path mountPoint = under(root, MountTable.unescape(fields[4]));
                if (v1Path != null && type.equals("cgroup")
                        && List.of(fields[separator + 3].split(",")).contains("memory")) {
                    return Optional.of(new MemoryCgroup(locate(mountPoint, mountRoot, v1Path), mountPoint, false));
                }
                if (v1Path == null && v2Path != null && type.equals("cgroup2")) {
                    return Optional.of(new MemoryCgroup(locate(mountPoint, mountRoot, v2Path), mountPoint, true));
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Path under(Path root, String absolute) {
        return root.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
    }

    /** The cgroup's directory: its path relative to the mount's root, below the mount point. */
    private static Path locate(Path mountPoint, String mountRoot, String cgroupPath) {
        String relative = cgroupPath;
        if (!mountRoot.equals("/") && (cgroupPath.equals(mountRoot) || cgroupPath.startsWith(mountRoot + "/"))) {
            relative = cgroupPath.substring(mountRoot.length());
        }
        Path directory = under(mountPoint, relative.startsWith("/") ? relative.substring(1) : relative).normalize();
        // In a cgroup namespace the path may not lie below the mount (shown as /../..): use the mount.
        return directory.startsWith(mountPoint) && Files.isDirectory(directory) ? directory : mountPoint;
    }

    /**
     * Returns the cgroup's directory.
     *
     * @return the directory whose files are read
     */
    public Path directory() {
        return directory;
    }

    /**
     * Tells whether this is a cgroup v2 (unified) hierarchy.
     *
     * @return true for v2, false for v1
     */
    public boolean v2() {
        return v2;
    }

    /**
     * Reads limit and usage now, of the cgroup and each ancestor up to the mount, and returns the one
     * with the least room below {@code share} of its limit.
     *
     * @param share the share of the limit writes may fill, in (0, 1]
     * @return the headroom, or empty when no level has a limit (or the files cannot be read)
     */
    public Optional<MemoryHeadroom> headroom(double share) {
        MemoryHeadroom tightest = null;
        for (Path level = directory; level != null && level.startsWith(mountPoint); level = level.getParent()) {
            MemoryHeadroom here = read(level, share);
            if (here != null && (tightest == null || here.allowedBytes() - here.usageBytes()
                    < tightest.allowedBytes() - tightest.usageBytes())) {
                tightest = here;
            }
        }
        return Optional.ofNullable(tightest);
    }

    private MemoryHeadroom read(Path level, double share) {
        Path limitFile = level.resolve(v2 ? "memory.max" : "memory.limit_in_bytes");
        Path usageFile = level.resolve(v2 ? "memory.current" : "memory.usage_in_bytes");
        try {
            String limitText = Files.readString(limitFile).trim();
            if (limitText.equals("max")) {
                return null;
            }
            long limit = Long.parseLong(limitText);
            if (limit <= 0 || limit >= UNLIMITED) {
                return null;
            }
            long usage = Long.parseLong(Files.readString(usageFile).trim());
            long usable = Math.max(0, usage - inactiveFile(level));
            return new MemoryHeadroom(limit, usable, share, limitFile.toString());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private long inactiveFile(Path level) {
        try {
            long plain = 0;
            for (String line : Files.readAllLines(level.resolve("memory.stat"))) {
                String[] fields = line.split(" ");
                if (fields.length != 2) {
                    continue;
                }
                if (fields[0].equals("total_inactive_file")) {
                    return Long.parseLong(fields[1]);
                }
                if (fields[0].equals("inactive_file")) {
                    plain = Long.parseLong(fields[1]);
                }
            }
            return plain;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
