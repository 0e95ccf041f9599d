package io.fastshare.cleanup;

import io.fastshare.BlockNotFoundException;
import io.fastshare.CorruptBlockException;
import io.fastshare.FastShareException;
import io.fastshare.InvalidTokenException;
import io.fastshare.format.BlockLayout;
import io.fastshare.format.BlockName;
import io.fastshare.format.BlockPreamble;
import io.fastshare.format.HeaderPeek;
import io.fastshare.format.OwnerId;
import io.fastshare.format.PayloadChecksum;
import io.fastshare.store.BlockDirectory;
import io.fastshare.store.BlockFile;
import io.fastshare.store.LeaseProbe;
import io.fastshare.store.OwnerLease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Lists the blocks of a block directory and reclaims the ones nobody can still need. Safe to run on a
 * busy host at any time, from any number of processes at once.
 *
 * <h2>States</h2>
 * A file named {@code FSHR_<32 hex>} is
 * <ul>
 *   <li>{@link BlockState#CORRUPT} when it is not a fastshare block of a supported version (bad magic,
 *       shorter than a header, invalid commit state) or is committed but fails full validation (header
 *       checksum, buffer table, length);</li>
 *   <li>{@link BlockState#EXPIRED} when it is committed and its TTL has passed, whether or not its owner
 *       lives;</li>
 *   <li>{@link BlockState#ORPHANED} when it is committed and its owner is dead;</li>
 *   <li>{@link BlockState#INCOMPLETE} when it was never committed and its owner is dead;</li>
 *   <li>{@link BlockState#LIVE} otherwise, including a block its live owner is still writing.</li>
 * </ul>
 * An owner is alive when it is this janitor's own owner id, when its lease is held in this JVM, or when
 * the kernel lock on its lease file is held (see {@link LeaseProbe}); when liveness cannot be probed the
 * owner counts as alive. Process ids play no part. Files that do not follow the block naming are never
 * listed nor touched; block-named files that are not regular files (symlinks, FIFOs, directories) or
 * cannot be read are reported as skipped and never opened or deleted.
 *
 * <h2>What cleanup reclaims</h2>
 * EXPIRED blocks at once; ORPHANED and INCOMPLETE blocks once the grace period has passed since the
 * block was last written, that is since the later of its header's creation time and the file's
 * modification time (the writer's last write, about when a crashed writer stopped); CORRUPT files once
 * the grace period has passed since their modification time; and lease files of dead owners older
 * than the grace period (and at least {@link #MIN_LEASE_AGE}, so a lease being created is never probed).
 * A block that another process reclaimed first is reported as skipped, not as a failure, so the
 * blocks cleaned by concurrent janitors add up to each block exactly once.
 *
 * <p>Scans validate header, buffer table and header checksum of every committed block but not the
 * optional payload checksum (that would read every byte of every block on each run); {@link #describe}
 * verifies it too.
 *
 * <p>Thread-safe; every call works on a fresh snapshot of the directory.
 */
public final class Janitor {

    /** Youngest lease file a cleanup will probe and delete, whatever the grace period. */
    public static final Duration MIN_LEASE_AGE = Duration.ofSeconds(2);

    /** Suffix of the files in {@code .owners} recording when an owner was first seen dead. */
    public static final String DEATH_SUFFIX = ".dead";

    private static final Logger log = LoggerFactory.getLogger(Janitor.class);

    private final BlockDirectory directory;
    private final OwnerId self;
    private final Clock clock;

    /**
     * Creates a janitor.
     *
     * @param directory the block directory
     * @param self the owner id of the calling template, counted as alive without probing its lease;
     *     {@code null} for a process without a lease (a CLI)
     * @param clock the clock that decides expiry and ages
     */
    public Janitor(BlockDirectory directory, OwnerId self, Clock clock) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.self = self;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Returns the block directory this janitor works on.
     *
     * @return the directory
     */
    public BlockDirectory directory() {
        return directory;
    }

    /**
     * Lists every block in the directory, sorted by name. Files that are not regular files or cannot be
     * read are left out (see {@link #cleanup} for them).
     *
     * @return the blocks, possibly empty
     * @throws FastShareException when the directory cannot be listed
     */
    public List<BlockInfo> scan() {
        List<BlockInfo> blocks = new ArrayList<>();
        for (Examined examined : examineAll(new Run(), clock.instant())) {
            if (examined.info() != null) {
                blocks.add(examined.info());
            }
        }
        return blocks;
    }

    /**
     * Looks at one block.
     *
     * @param name the block name, {@code FSHR_} and 32 lower-case hex digits
     * @return the block, or empty when there is no such block (or it is not a readable regular file)
     * @throws InvalidTokenException when {@code name} is not a block name
     */
    public Optional<BlockInfo> inspect(String name) {
        return describe(name).map(BlockDetails::info);
    }

    /**
     * Looks at one block in detail: header fields and, for a valid block, the buffer table. Unlike a
     * scan this also verifies the payload checksum of a block that carries one, reading the whole block.
     *
     * @param name the block name
     * @return the details, or empty when there is no such block (or it is not a readable regular file)
     * @throws InvalidTokenException when {@code name} is not a block name
     */
    public Optional<BlockDetails> describe(String name) {
        if (!BlockName.isValid(name)) {
            throw new InvalidTokenException("not a block name (FSHR_ + 32 lower-case hex digits): " + name);
        }
        Examined examined = examine(new BlockName(name), new Run(), clock.instant(), true);
        if (examined == null || examined.info() == null) {
            return Optional.empty();
        }
        return Optional.of(new BlockDetails(examined.info(), examined.header(), examined.preamble(),
                examined.problem()));
    }

    /**
     * Reclaims expired, orphaned, incomplete and corrupt blocks and stale leases as described in the
     * class documentation. Never touches a live block of another process. Failures to delete are
     * collected, not thrown.
     *
     * @param options dry run and grace period
     * @return what was (or would be) reclaimed, skipped and failed
     * @throws FastShareException when the directory cannot be listed
     */
    public CleanupResult cleanup(CleanupOptions options) {
        Objects.requireNonNull(options, "options");
        Instant now = clock.instant();
        List<CleanupResult.Reclaimed> cleaned = new ArrayList<>();
        List<CleanupResult.Failure> failed = new ArrayList<>();
        List<CleanupResult.Skipped> skipped = new ArrayList<>();
        long bytes = 0;
        Run run = new Run();
        for (Examined examined : examineAll(run, now)) {
            BlockInfo info = examined.info();
            if (info == null) {
                skipped.add(new CleanupResult.Skipped(examined.name(), examined.problem()));
                continue;
            }
            String wait = waitReason(examined, now, options.grace());
            if (wait != null) {
                if (info.state() != BlockState.LIVE) {
                    skipped.add(new CleanupResult.Skipped(info.name(), wait));
                }
                keep(examined, run);
                continue;
            }
            abortIfInterrupted("before deleting " + info.name());
            if (options.dryRun() || delete(examined, failed, skipped)) {
                cleaned.add(new CleanupResult.Reclaimed(info.name(), info.state(), info.size()));
                bytes += info.size();
            } else {
                keep(examined, run);
            }
        }
        List<String> leases = reclaimLeases(now, options, failed);
        if (!options.dryRun()) {
            forgetDeaths(now, run, failed);
        }
        CleanupResult result = new CleanupResult(cleaned, failed, skipped, bytes, options.dryRun(), leases);
        logResult(result);
        return result;
    }

    /** Returns why a block must stay for now, or null when it may be reclaimed. */
    private static String waitReason(Examined examined, Instant now, Duration grace) {
        BlockInfo info = examined.info();
        switch (info.state()) {
            case LIVE:
                return "live";
            case EXPIRED:
                return null;
            case ORPHANED:
            case INCOMPLETE:
            case CORRUPT:
                Instant since = examined.lastWritten();
                Duration idle = since == null ? Duration.ZERO : Duration.between(since, now);
                if (idle.compareTo(grace) >= 0) {
                    return null;
                }
                return info.state().name().toLowerCase(java.util.Locale.ROOT) + ", within the grace period ("
                        + grace.minus(idle.isNegative() ? Duration.ZERO : idle).toMillis() + " ms left)";
            default:
                throw new IllegalStateException(info.state().name());
        }
    }

    /** Notes that a block stays, so its owner's death record stays too. */
    private static void keep(Examined examined, Run run) {
        if (examined.header() != null) {
            run.remaining.add(examined.header().owner());
        }
    }

    private boolean delete(Examined examined, List<CleanupResult.Failure> failed,
            List<CleanupResult.Skipped> skipped) {
        String name = examined.name();
        try {
            // deleteIfExists unlinks a path without following links; readers that mapped or opened the
            // block keep their data until they let go of it.
            if (Files.deleteIfExists(examined.path())) {
                log.debug("fastshare janitor reclaimed {} block {} ({} bytes)", examined.info().state(), name,
                        examined.info().size());
                return true;
            }
            skipped.add(new CleanupResult.Skipped(name, "already gone: reclaimed or released by another process"));
        } catch (IOException e) {
            failed.add(new CleanupResult.Failure(name, "cannot delete " + examined.path() + ": " + e));
        }
        return false;
    }

    private List<String> reclaimLeases(Instant now, CleanupOptions options, List<CleanupResult.Failure> failed) {
        Duration minAge = options.grace().compareTo(MIN_LEASE_AGE) > 0 ? options.grace() : MIN_LEASE_AGE;
        List<String> reclaimed = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory.ownersPath())) {
            stream.forEach(files::add);
        } catch (NoSuchFileException e) {
            return reclaimed;
        } catch (IOException | DirectoryIteratorException e) {
            failed.add(new CleanupResult.Failure(BlockDirectory.OWNERS_DIRECTORY, "cannot list leases: " + e));
            return reclaimed;
        }
        files.sort(Comparator.naturalOrder());
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            if (!fileName.endsWith(OwnerLease.SUFFIX)) {
                continue;
            }
            String hex = fileName.substring(0, fileName.length() - OwnerLease.SUFFIX.length());
            if (!OwnerId.isValid(hex)) {
                continue;
            }
            OwnerId owner = OwnerId.parse(hex);
            abortIfInterrupted("before probing lease " + fileName);
            if (owner.equals(self) || OwnerLease.isHeldByThisJvm(owner) || !olderThan(file, now, minAge)) {
                continue;
            }
            try {
                LeaseProbe.Outcome outcome = options.dryRun()
                        ? LeaseProbe.probe(directory, owner)
                        : LeaseProbe.deleteIfDead(directory, owner);
                if (outcome == LeaseProbe.Outcome.DEAD || outcome == LeaseProbe.Outcome.DELETED) {
                    reclaimed.add(hex);
                }
            } catch (IOException e) {
                failed.add(new CleanupResult.Failure(BlockDirectory.OWNERS_DIRECTORY + "/" + fileName,
                        "cannot delete stale lease: " + e));
            }
        }
        return reclaimed;
    }

    private static boolean olderThan(Path file, Instant now, Duration age) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile()
                    && Duration.between(attributes.lastModifiedTime().toInstant(), now).compareTo(age) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private void logResult(CleanupResult result) {
        for (CleanupResult.Failure failure : result.failed()) {
            log.warn("fastshare janitor could not reclaim {}: {}", failure.name(), failure.reason());
        }
        String verb = result.dryRun() ? "would reclaim" : "reclaimed";
        if (result.cleaned().isEmpty()) {
            // Stale leases alone are bookkeeping, not something an operator acts on: no INFO "reclaimed 0 blocks".
            if (!result.leasesReclaimed().isEmpty()) {
                log.debug("fastshare janitor {} {} in {}", verb, count(result.leasesReclaimed().size(), "stale lease"),
                        directory);
            }
            return;
        }
        Map<BlockState, Integer> counts = new EnumMap<>(BlockState.class);
        for (CleanupResult.Reclaimed reclaimed : result.cleaned()) {
            counts.merge(reclaimed.state(), 1, Integer::sum);
        }
        log.info("fastshare janitor {} {} ({} bytes) in {}: {} expired, {} orphaned, {} incomplete, "
                        + "{} corrupt; {}; {} skipped, {} failed",
                verb, count(result.cleaned().size(), "block"), result.bytesReclaimed(),
                directory, counts.getOrDefault(BlockState.EXPIRED, 0), counts.getOrDefault(BlockState.ORPHANED, 0),
                counts.getOrDefault(BlockState.INCOMPLETE, 0), counts.getOrDefault(BlockState.CORRUPT, 0),
                count(result.leasesReclaimed().size(), "stale lease"), result.skipped().size(), result.failed().size());
    }

    /** Formats a count with its noun in the right number: "1 block", "2 blocks". */
    private static String count(int n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }

    // ---------------------------------------------------------------- examination

    private List<Examined> examineAll(Run liveness, Instant now) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory.path())) {
            for (Path path : stream) {
                String fileName = path.getFileName().toString();
                if (BlockName.isValid(fileName)) {
                    names.add(fileName);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | DirectoryIteratorException e) {
            throw new FastShareException("cannot list block directory " + directory + ": " + e, e);
        }
        names.sort(Comparator.naturalOrder());
        List<Examined> all = new ArrayList<>(names.size());
        for (String name : names) {
            abortIfInterrupted("while examining the blocks");
            Examined examined = examine(new BlockName(name), liveness, now, false);
            if (examined != null) {
                all.add(examined);
            }
        }
        return all;
    }

    /** Returns what a block-named file is, or null when it vanished meanwhile. */
    private Examined examine(BlockName name, Run liveness, Instant now, boolean verifyPayload) {
        Path path = directory.resolve(name);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return Examined.odd(name, path, "cannot read file attributes: " + e);
        }
        if (!attributes.isRegularFile()) {
            return Examined.odd(name, path, "not a regular file (symlink, FIFO or directory): left alone");
        }
        String distrust = directory.distrust(path);
        if (distrust != null) {
            return Examined.odd(name, path, "not trusted, " + distrust + ": left alone");
        }
        int links = linkCount(path);
        if (links > 1) {
            // fastshare never links a block: a second name may be a lease file of this JVM, and opening
            // then closing a channel on it would drop that lease's lock.
            return Examined.odd(name, path, links + " hard links, so not a block fastshare wrote: left alone");
        }
        Instant modified = attributes.lastModifiedTime().toInstant();
        HeaderPeek header;
        long size;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            size = channel.size();
            ByteBuffer bytes = ByteBuffer.allocate(BlockLayout.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) >= 0) {
                // keep reading: a read may return fewer bytes than asked
            }
            header = peek(bytes.flip(), size, name);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            abortIfInterrupted("while reading " + name);
            return Examined.odd(name, path, "cannot read: " + e);
        }
        if (header == null) {
            return classify(name, path, size, modified, null, null, "not a fastshare block header", liveness, now);
        }
        if (!header.committed()) {
            return classify(name, path, size, modified, header, null, "not committed", liveness, now);
        }
        try (BlockFile file = BlockFile.open(directory, name)) {
            if (verifyPayload) {
                PayloadChecksum.verify(file.preamble(), file.copyingContent(), name.value());
            }
            return classify(name, path, size, modified, header, file.preamble(), null, liveness, now);
        } catch (BlockNotFoundException e) {
            return null;
        } catch (CorruptBlockException e) {
            return classify(name, path, size, modified, header, null, e.getMessage(), liveness, now);
        } catch (FastShareException e) {
            // An I/O error (an interruption above all) says nothing about the block: never call it corrupt.
            abortIfInterrupted("while reading " + name);
            return Examined.odd(name, path, "cannot read: " + e.getMessage());
        }
    }

    /**
     * Stops a run whose thread was interrupted (the starter's scheduler interrupts a run that outlives
     * its stop timeout): interruptible channels then fail every read, and nothing a failed read shows
     * may decide a deletion. The interrupt flag stays set.
     */
    private void abortIfInterrupted(String when) {
        if (Thread.currentThread().isInterrupted()) {
            throw new FastShareException("janitor run on " + directory + " interrupted " + when
                    + "; stopped without deleting anything more");
        }
    }

    /** Returns a file's hard link count, 1 where the file system cannot tell. */
    private static int linkCount(Path path) {
        try {
            return ((Number) Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 1;
        }
    }

    private static HeaderPeek peek(ByteBuffer bytes, long size, BlockName name) {
        try {
            return HeaderPeek.read(bytes, size, name.value());
        } catch (CorruptBlockException e) {
            return null;
        }
    }

    private Examined classify(BlockName name, Path path, long size, Instant modified, HeaderPeek header,
            BlockPreamble preamble, String problem, Run liveness, Instant now) {
        if (header == null) {
            BlockInfo info = new BlockInfo(name.value(), size, null, -1, null, null, nonNegative(modified, now),
                    BlockState.CORRUPT, false);
            return new Examined(name.value(), path, info, null, null, problem, modified);
        }
        OwnerId owner = header.owner();
        boolean mine = owner.equals(self) || OwnerLease.isHeldByThisJvm(owner);
        Instant created = Instant.ofEpochMilli(header.createdMillis());
        Instant expires = header.hasExpiry() ? Instant.ofEpochMilli(header.expiresMillis()) : null;
        BlockState state;
        Instant lastWritten = created.isAfter(modified) ? created : modified;
        if (problem != null && header.committed()) {
            state = BlockState.CORRUPT;
            lastWritten = modified;
        } else if (!header.committed()) {
            state = mine || alive(owner, liveness) ? BlockState.LIVE : BlockState.INCOMPLETE;
        } else if (expires != null && !now.isBefore(expires)) {
            state = BlockState.EXPIRED;
        } else {
            state = mine || alive(owner, liveness) ? BlockState.LIVE : BlockState.ORPHANED;
        }
        if (state == BlockState.ORPHANED || state == BlockState.INCOMPLETE) {
            // The grace period is how long blocks of a dead owner stay readable: it runs from the owner's
            // death (as first seen), never from before the block's last write.
            Instant dead = deathSeen(owner, now, lastWritten, liveness);
            lastWritten = dead.isAfter(lastWritten) ? dead : lastWritten;
        }
        BlockInfo info = new BlockInfo(name.value(), size, owner.toHex(), header.pid(), created, expires,
                nonNegative(created, now), state, mine);
        return new Examined(name.value(), path, info, header, preamble, problem, lastWritten);
    }

    private boolean alive(OwnerId owner, Run liveness) {
        return liveness.alive.computeIfAbsent(owner, id -> LeaseProbe.probe(directory, id).alive());
    }

    /**
     * Returns when an owner was first seen dead, recording it now if no janitor has before: the file
     * {@code .owners/<owner>.dead} holds that instant (epoch milliseconds), so the grace period of the
     * owner's blocks runs from its death as any janitor of any process first saw it, not from the
     * blocks' last write. Where the record cannot be written (a read-only directory) the block's last
     * write is used instead.
     */
    private Instant deathSeen(OwnerId owner, Instant now, Instant lastWritten, Run run) {
        return run.deaths.computeIfAbsent(owner, id -> {
            Path file = tombstone(id);
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (!attributes.isRegularFile() || attributes.size() > 32) {
                        return lastWritten;
                    }
                    String text = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.US_ASCII);
                    return Instant.ofEpochMilli(Long.parseLong(text.trim()));
                } catch (NoSuchFileException e) {
                    try {
                        Files.write(file, Long.toString(now.toEpochMilli()).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE,
                                LinkOption.NOFOLLOW_LINKS);
                        return now;
                    } catch (java.nio.file.FileAlreadyExistsException raced) {
                        // another janitor recorded it first: read its record
                    } catch (IOException | UnsupportedOperationException notWritable) {
                        return lastWritten;
                    }
                } catch (IOException | RuntimeException e) {
                    return lastWritten;
                }
            }
            return lastWritten;
        });
    }

    private Path tombstone(OwnerId owner) {
        return directory.ownersPath().resolve(owner.toHex() + DEATH_SUFFIX);
    }

    /** Deletes death records of owners with no block left after this run: they have nothing left to time. */
    private void forgetDeaths(Instant now, Run run, List<CleanupResult.Failure> failed) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory.ownersPath(), "*" + DEATH_SUFFIX)) {
            stream.forEach(files::add);
        } catch (IOException | DirectoryIteratorException e) {
            return;
        }
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            String hex = fileName.substring(0, fileName.length() - DEATH_SUFFIX.length());
            if (!OwnerId.isValid(hex) || run.remaining.contains(OwnerId.parse(hex)) || !olderThan(file, now, MIN_LEASE_AGE)) {
                continue;
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                failed.add(new CleanupResult.Failure(BlockDirectory.OWNERS_DIRECTORY + "/" + fileName,
                        "cannot delete death record: " + e));
            }
        }
    }

    /** What one scan or cleanup learned about owners, so each is probed and looked up once. */
    private static final class Run {
        final Map<OwnerId, Boolean> alive = new HashMap<>();
        final Map<OwnerId, Instant> deaths = new HashMap<>();
        /** Owners with blocks left after this cleanup. */
        final java.util.Set<OwnerId> remaining = new java.util.HashSet<>();
    }

    private static Duration nonNegative(Instant since, Instant now) {
        Duration age = Duration.between(since, now);
        return age.isNegative() ? Duration.ZERO : age;
    }

    /**
     * One examined block-named file.
     *
     * @param name file name
     * @param path file path
     * @param info listing entry, null for a file that is not a readable regular file
     * @param header lenient header, null when unreadable
     * @param preamble full preamble, null unless valid and committed
     * @param problem why the block is not readable, or why the file was left alone
     * @param lastWritten when the grace period starts
     */
    private record Examined(String name, Path path, BlockInfo info, HeaderPeek header, BlockPreamble preamble,
            String problem, Instant lastWritten) {

        static Examined odd(BlockName name, Path path, String problem) {
            return new Examined(name.value(), path, null, null, null, problem, null);
        }
    }
}
