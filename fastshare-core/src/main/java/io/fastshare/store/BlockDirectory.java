package io.fastshare.store;

import io.fastshare.AllocationException;
import io.fastshare.BlockNotFoundException;
import io.fastshare.FastShareException;
import io.fastshare.format.BlockName;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The directory that holds block files and the owners' lease files ({@code .owners/}). It decides
 * where a block lives, creates block files with restrictive permissions, and reports free space.
 *
 * <p>Immutable and thread-safe.
 */
public final class BlockDirectory {

    private static final Logger log = LoggerFactory.getLogger(BlockDirectory.class);

    /** Name of the sub-directory holding lease files. */
    public static final String OWNERS_DIRECTORY = ".owners";
    /** Default permissions of block files: owner read and write only. */
    public static final Set<PosixFilePermission> DEFAULT_FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");

    private final Path path;
    private final Set<PosixFilePermission> filePermissions;
    private final boolean posix;
    /** Null where ownership cannot be checked (no /proc, no unix attribute view). */
    private final @Nullable DirectoryTrust trust;
    private final boolean groupMode;
    /** Looked up once: resolving a path's store parses the mount table, the space query itself is one statvfs. */
    private volatile FileStore fileStore;

    private BlockDirectory(Path path, Set<PosixFilePermission> filePermissions, boolean posix,
            @Nullable DirectoryTrust trust, boolean groupMode) {
        this.path = path;
        this.filePermissions = Set.copyOf(filePermissions);
        this.posix = posix;
        this.trust = trust;
        this.groupMode = groupMode;
    }

    /**
     * Returns the default block directory: {@code /dev/shm/fastshare} where {@code /dev/shm} exists
     * (Linux), else {@code fastshare} under {@code java.io.tmpdir}, which is usually disk-backed.
     *
     * @return the default path
     */
    public static Path defaultPath() {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return shm.resolve("fastshare");
        }
        Path fallback = Path.of(System.getProperty("java.io.tmpdir"), "fastshare");
        log.info("/dev/shm is not available on this platform; fastshare uses {} (disk-backed, slower)", fallback);
        return fallback;
    }

    /**
     * Opens a block directory, creating it (and its lease directory) if needed. A directory this call
     * creates gets owner-only access ({@code rwx------}), or {@code rwxrws---} when the file permissions
     * grant the group access (group members then write their own blocks and leases; setgid keeps the
     * directory's group on new files). An existing directory is left as it is, but it and its lease
     * directory must be trustworthy: owned by the current user and writable by nobody else, or in group
     * mode (setgid, group-writable, no access for others, a group this process belongs to). Anything
     * else, such as a directory created in advance by another user or with mode {@code 0777}, is refused.
     *
     * @param path the directory
     * @param filePermissions permissions of block files this process creates
     * @return the directory
     * @throws FastShareException when the directory cannot be created, is not writable, or is not
     *     trustworthy (the message names the fix)
     */
    public static BlockDirectory open(Path path, Set<PosixFilePermission> filePermissions) {
        Path absolute = path.toAbsolutePath().normalize();
        boolean posix = absolute.getFileSystem().supportedFileAttributeViews().contains("posix");
        int mode = directoryMode(filePermissions);
        try {
            createDirectory(absolute, mode, posix);
            createDirectory(absolute.resolve(OWNERS_DIRECTORY), mode, posix);
        } catch (IOException e) {
            throw new FastShareException("cannot create block directory " + absolute + ": " + e
                    + "; create it or choose another directory", e);
        }
        if (!Files.isDirectory(absolute) || !Files.isWritable(absolute)) {
            throw new FastShareException("block directory " + absolute + " is not a writable directory");
        }
        DirectoryTrust trust = posix ? DirectoryTrust.ofCurrentProcess() : null;
        boolean groupMode = checkTrust(trust, absolute, false);
        return new BlockDirectory(absolute, filePermissions, posix, trust, groupMode);
    }

    /** Checks the block and lease directories; returns whether the block directory is in group mode. */
    private static boolean checkTrust(@Nullable DirectoryTrust trust, Path absolute, boolean anyOwner) {
        if (trust == null) {
            return false;
        }
        boolean groupMode = trust.checkDirectory(absolute, "block directory", anyOwner);
        Path owners = absolute.resolve(OWNERS_DIRECTORY);
        // Anything else in its place (a file) fails lease creation, and the janitor reports it.
        if (Files.isSymbolicLink(owners) || Files.isDirectory(owners, LinkOption.NOFOLLOW_LINKS)) {
            trust.checkDirectory(owners, "lease directory", anyOwner);
        }
        return groupMode;
    }

    /**
     * Refers to an existing block directory without creating or changing anything, for tools that only
     * inspect or clean (a CLI run by an operator). Unlike {@link #open} it does not require write access.
     * The directories must be trustworthy as for {@link #open}, except that root may work on a directory
     * of any owner.
     *
     * @param path the directory
     * @return the directory
     * @throws BlockNotFoundException when {@code path} is not an existing directory
     * @throws FastShareException when the directory is not trustworthy (the message names the fix)
     */
    public static BlockDirectory existing(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
            throw new BlockNotFoundException("no block directory at " + absolute);
        }
        boolean posix = absolute.getFileSystem().supportedFileAttributeViews().contains("posix");
        DirectoryTrust trust = posix ? DirectoryTrust.ofCurrentProcess() : null;
        boolean groupMode = checkTrust(trust, absolute, trust != null && trust.root());
        return new BlockDirectory(absolute, DEFAULT_FILE_PERMISSIONS, posix, trust, groupMode);
    }

    /**
     * Mode of directories this class creates: owner-only, or, when block files are shared with a group,
     * {@code rwxrws---}. Group members are peers: each creates its own blocks and lease files, so they
     * need write access to both directories; the setgid bit makes new files and sub-directories take
     * the directory's group (Kubernetes {@code fsGroup}) rather than each creator's primary group.
     */
    private static int directoryMode(Set<PosixFilePermission> files) {
        boolean group = files.contains(PosixFilePermission.GROUP_READ) || files.contains(PosixFilePermission.GROUP_WRITE);
        return group ? 02770 : 0700;
    }

    private static void createDirectory(Path dir, int mode, boolean posix) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            if (!posix) {
                Files.createDirectories(dir);
                return;
            }
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(permissions(mode)));
            // The umask may have stripped bits we asked for; set the mode exactly. Through "unix:mode"
            // because PosixFilePermission cannot express the setgid bit (and setting it clears setgid).
            if (dir.getFileSystem().supportedFileAttributeViews().contains("unix")) {
                Files.setAttribute(dir, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
            } else {
                Files.setPosixFilePermissions(dir, permissions(mode));
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                permissions.add(bits[i]);
            }
        }
        return permissions;
    }

    /**
     * Returns the directory path.
     *
     * @return absolute, normalised path
     */
    public Path path() {
        return path;
    }

    /**
     * Returns the lease directory.
     *
     * @return {@code <directory>/.owners}
     */
    public Path ownersPath() {
        return path.resolve(OWNERS_DIRECTORY);
    }

    /**
     * Returns the path of a block. Safe by construction: a {@link BlockName} has no separators or dots.
     *
     * @param name block name
     * @return the file path inside this directory
     */
    public Path resolve(BlockName name) {
        return path.resolve(name.value());
    }

    /**
     * Tells why a file in this directory must not be trusted as a block: it is owned by another user
     * (outside group mode) or writable by every user. Reads the file's attributes without following
     * links.
     *
     * @param file a file in this directory
     * @return the reason, or null when the file may be trusted (or ownership cannot be checked here)
     */
    public @Nullable String distrust(Path file) {
        if (trust == null) {
            return null;
        }
        try {
            return trust.distrust(Files.readAttributes(file, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS), groupMode);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Tells why a file must not be trusted, from attributes already read.
     *
     * @param attributes {@code unix:uid} and {@code unix:mode} of the file, where known
     * @return the reason, or null
     */
    @Nullable String distrust(java.util.Map<String, Object> attributes) {
        return trust == null ? null : trust.distrust(attributes, groupMode);
    }

    /**
     * Returns the permissions given to new block files.
     *
     * @return the permission set
     */
    public Set<PosixFilePermission> filePermissions() {
        return filePermissions;
    }

    /**
     * Creates a new, empty block file for writing. Fails if the name exists, never follows links.
     *
     * @param name the new block's name
     * @return a channel open for reading and writing
     * @throws AllocationException when the file cannot be created
     */
    public FileChannel createBlockFile(BlockName name) {
        Path file = resolve(name);
        try {
            FileChannel channel = posix
                    ? FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), permissionsAttribute())
                    : FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
            if (posix && !filePermissions.equals(DEFAULT_FILE_PERMISSIONS)) {
                // Group permissions asked for explicitly survive a restrictive umask.
                Files.setPosixFilePermissions(file, filePermissions);
            }
            return channel;
        } catch (IOException e) {
            throw new AllocationException("cannot create block file " + file + ": " + e, e);
        }
    }

    private FileAttribute<Set<PosixFilePermission>> permissionsAttribute() {
        return PosixFilePermissions.asFileAttribute(filePermissions);
    }

    /**
     * Returns the bytes available to this process in the directory's filesystem.
     *
     * @return usable bytes, or -1 when the filesystem cannot be queried
     */
    public long usableSpace() {
        try {
            return fileStore().getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Returns the size of the directory's filesystem.
     *
     * @return total bytes, or -1 when the filesystem cannot be queried
     */
    public long totalSpace() {
        try {
            return fileStore().getTotalSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    private FileStore fileStore() throws IOException {
        FileStore store = fileStore;
        if (store == null) {
            store = Files.getFileStore(path);
            fileStore = store;
        }
        return store;
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
