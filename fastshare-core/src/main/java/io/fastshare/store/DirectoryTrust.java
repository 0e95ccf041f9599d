package io.fastshare.store;

import io.fastshare.FastShareException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a block directory, its lease directory and the block files in it can be trusted, as
 * sshd's {@code StrictModes} does for {@code ~/.ssh}. Whoever can write a directory can replace the
 * blocks and leases in it ({@code mv} over a block, a pre-created {@code .owners}), so a directory is
 * trusted only when
 * <ul>
 *   <li>it is owned by the current user (or by root) and nobody else may write it (no group or world
 *       write bit); or</li>
 *   <li>it is in the documented <em>group mode</em>: group-writable with the setgid bit, no access at
 *       all for others, and the current process is a member of its group (peers in one Kubernetes
 *       {@code fsGroup}). Its owner may then be any member.</li>
 * </ul>
 * A block file is trusted when it is owned by the current user or by root, or when its directory is in
 * group mode; and never when others may write it.
 *
 * <p>The checks need a {@code unix} attribute view and {@code /proc/self/status} (Linux); elsewhere
 * they are skipped. Immutable and thread-safe.
 */
final class DirectoryTrust {

    private static final int S_IFMT = 0170000;
    private static final int S_IFLNK = 0120000;
    private static final int S_ISGID = 02000;
    private static final int GROUP_WRITE = 0020;
    private static final int OTHERS_ALL = 0007;
    private static final int OTHERS_WRITE = 0002;

    private final int uid;
    private final Set<Integer> gids;

    private DirectoryTrust(int uid, Set<Integer> gids) {
        this.uid = uid;
        this.gids = Set.copyOf(gids);
    }

    /**
     * Returns the current process's identity, or null where it cannot be told (no {@code /proc}).
     *
     * @return the checker, or null when trust checks are not possible here
     */
    static DirectoryTrust ofCurrentProcess() {
        Path status = Path.of("/proc/self/status");
        try {
            int uid = -1;
            Set<Integer> gids = new HashSet<>();
            for (String line : Files.readAllLines(status)) {
                String[] fields = line.trim().split("\\s+");
                if (line.startsWith("Uid:") && fields.length > 2) {
                    uid = Integer.parseInt(fields[2]);
                } else if (line.startsWith("Gid:") && fields.length > 2) {
                    gids.add(Integer.parseInt(fields[2]));
                } else if (line.startsWith("Groups:")) {
                    for (int i = 1; i < fields.length; i++) {
                        gids.add(Integer.parseInt(fields[i]));
                    }
                }
            }
            return uid < 0 ? null : new DirectoryTrust(uid, gids);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Tells whether the process runs as root.
     *
     * @return true for uid 0
     */
    boolean root() {
        return uid == 0;
    }

    /**
     * Refuses a directory that someone other than the current user (or its group, in group mode) can
     * write.
     *
     * @param dir the directory (not followed if a link)
     * @param what what it is, for the message
     * @param anyOwner accept a directory of any owner that passes the mode checks (for root operating
     *     on another user's directory)
     * @return true when the directory is in group mode
     * @throws FastShareException naming the problem and the fix
     */
    boolean checkDirectory(Path dir, String what, boolean anyOwner) {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(dir, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        } catch (IOException e) {
            throw new FastShareException("cannot check the owner and mode of " + what + " " + dir + ": " + e, e);
        }
        int owner = (Integer) attributes.get("uid");
        int group = (Integer) attributes.get("gid");
        int mode = (Integer) attributes.get("mode");
        boolean groupMode = (mode & S_ISGID) != 0 && (mode & GROUP_WRITE) != 0 && (mode & OTHERS_ALL) == 0;
        String fix = "; remove it and let fastshare create it (owner-only rwx------, or rwxrws--- for a shared "
                + "group), or fix it with: chown " + uid + " " + dir + " && chmod 700 " + dir
                + " (group mode: chmod 2770 and a group this process belongs to)";
        if ((mode & S_IFMT) == S_IFLNK) {
            throw new FastShareException(what + " " + dir + " is a symbolic link, which could point anywhere; "
                    + "remove it and let fastshare create the directory, or configure the link's target");
        }
        if ((mode & OTHERS_WRITE) != 0) {
            throw new FastShareException(what + " " + dir + " is writable by every user (mode "
                    + Integer.toOctalString(mode & 07777) + "), so anyone could replace blocks and leases in it"
                    + fix);
        }
        if ((mode & GROUP_WRITE) != 0 && !groupMode) {
            throw new FastShareException(what + " " + dir + " is group-writable (mode "
                    + Integer.toOctalString(mode & 07777) + ") without the documented group mode (setgid, no "
                    + "access for others)" + fix);
        }
        if (groupMode && !gids.contains(group) && uid != 0) {
            throw new FastShareException(what + " " + dir + " is shared with group " + group
                    + ", which this process (uid " + uid + ", groups " + gids + ") is not a member of" + fix);
        }
        if (owner != uid && owner != 0 && !groupMode && !anyOwner) {
            throw new FastShareException(what + " " + dir + " is owned by uid " + owner + ", not by this process's "
                    + "user (uid " + uid + "): a directory created in advance by another user is not trusted" + fix);
        }
        return groupMode;
    }

    /**
     * Tells why a block file must not be trusted, or null when it may be.
     *
     * @param attributes the file's {@code unix:uid} and {@code unix:mode}, if known
     * @param groupMode whether the directory is in group mode
     * @return the reason, or null
     */
    String distrust(Map<String, Object> attributes, boolean groupMode) {
        Object owner = attributes.get("uid");
        Object mode = attributes.get("mode");
        if (mode instanceof Integer m && (m & OTHERS_WRITE) != 0) {
            return "it is writable by every user (mode " + Integer.toOctalString(m & 07777) + ")";
        }
        if (owner instanceof Integer o && o != uid && o != 0 && !groupMode) {
            return "it is owned by uid " + o + ", not by this process's user (uid " + uid + ")";
        }
        return null;
    }
}
