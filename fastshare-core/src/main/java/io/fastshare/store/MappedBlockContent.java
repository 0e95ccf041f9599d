package io.fastshare.store;

import io.fastshare.AllocationException;
import io.fastshare.CodecException;
import io.fastshare.CorruptBlockException;
import io.fastshare.FastShareException;
import io.fastshare.format.BlockContent;
import io.fastshare.format.BufferDescriptor;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Block content mapped read-only: the zero-copy path behind {@code SharedMemoryTemplate.open}. Mapping
 * costs a system call and no page faults, so opening a 1 GiB block is as cheap as opening 1 KiB; pages
 * fault in as the reader touches them.
 *
 * <p>The buffers are mapped in a bounded number of regions ({@link MappingPlan}): consecutive buffers
 * share one mapping of up to 1 GiB, so a block of 65,536 small buffers costs one mapping, not 65,536
 * (which would exhaust {@code vm.max_map_count} and crash the JVM), and a block over 2 GiB is mapped
 * in chunks, as Lucene's MMapDirectory does. Views are slices of those mappings. A mapping that fails
 * (map count or address space exhausted) is an {@link AllocationException}.
 *
 * <p>Unmapping follows {@link BufferMapping}: arenas on JDK 22+, {@code invokeCleaner} before. A
 * content that becomes unreachable without {@link #close()} is released by a {@link Cleaner}, which
 * logs a WARN naming where it was opened ({@link OpenSite}): on JDK 22+ a shared arena is otherwise
 * never freed. On JDK 17 to 21 the garbage collector unmaps such buffers itself once no view is left.
 *
 * <p>Copies the library makes itself ({@link #read}: array values, payload checksums) go through
 * positional reads of the block's file channel, which this content owns, not through the mappings: a
 * peer truncating the file then gives a short read and a {@link CorruptBlockException}. Copying from
 * a mapping instead would fault (SIGBUS), which JDK 17 reports late, as an asynchronous
 * {@code InternalError} after the copy has silently returned wrong bytes. Views handed out by
 * {@link #view} cannot be protected that way; their users own that risk.
 *
 * <p>The mappings outlive the file: a janitor or writer deleting the block does not disturb a reader
 * that has it mapped (the memory is freed at unmap). {@link #close()} unmaps at once and closes the
 * channel; every view handed out is invalid from then on.
 *
 * <p>Thread-safe for reads; {@link #close()} must not race with access to its views.
 */
final class MappedBlockContent implements BlockContent {

    private static final Cleaner CLEANER = Cleaner.create(runnable -> {
        Thread thread = new Thread(runnable, "fastshare-leak-cleaner");
        thread.setDaemon(true);
        return thread;
    });

    private final String name;
    private final List<BufferDescriptor> buffers;
    private final MappingPlan plan;
    private final BufferMapping[] regions;
    private final FileBlockContent copies;
    private final Release release;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean closed;

    /**
     * Maps a block's buffers and takes ownership of its channel (closed by {@link #close()}; left open
     * when this constructor throws).
     *
     * @throws AllocationException when a region cannot be mapped
     */
    MappedBlockContent(FileChannel channel, String name, List<BufferDescriptor> buffers) {
        this.name = name;
        this.buffers = buffers;
        this.copies = new FileBlockContent(channel, name);
        this.plan = MappingPlan.of(buffers);
        this.regions = new BufferMapping[plan.regionCount()];
        List<AutoCloseable> arenas = new ArrayList<>(regions.length);
        try {
            for (int i = 0; i < regions.length; i++) {
                regions[i] = BufferMapping.map(channel, plan.regionOffset(i), plan.regionLength(i));
                if (regions[i].arena() != null) {
                    arenas.add(regions[i].arena());
                }
            }
        } catch (IOException | RuntimeException | OutOfMemoryError | InternalError e) {
            unmapAll();
            throw new AllocationException("cannot map block " + name + " (" + plan.mappedBytes() + " bytes in "
                    + regions.length + " mappings): " + e + "; the process may be out of address space or at its "
                    + "limit of memory mappings (vm.max_map_count, 65,530 by default): close SharedPayload handles "
                    + "that are no longer needed, or read the payload as a copy with read()", e);
        }
        this.release = new Release(name, channel, arenas, OpenSite.capture());
        this.cleanable = CLEANER.register(this, release);
    }

    @Override
    public void read(long position, ByteBuffer target) {
        checkOpen();
        try {
            copies.read(position, target);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public ByteBuffer view(BufferDescriptor buffer) {
        if (buffer.length() == 0) {
            return ByteBuffer.allocate(0).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
        int index = plan.indexOf(buffers, buffer);
        if (index < 0) {
            throw new CodecException("buffer is not part of block " + name);
        }
        if (buffer.length() > Integer.MAX_VALUE) {
            throw new CodecException("buffer of " + buffer.length() + " bytes in block " + name
                    + " is over 2 GiB, more than one ByteBuffer view can address; split the payload");
        }
        checkOpen();
        try {
            int region = plan.regionOf(index);
            int start = Math.toIntExact(buffer.offset() - plan.regionOffset(region));
            ByteBuffer whole = regions[region].buffer().duplicate();
            whole.limit(start + (int) buffer.length()).position(start);
            return whole.slice().order(ByteOrder.LITTLE_ENDIAN);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new FastShareException("payload handle for block " + name + " is closed");
        }
    }

    /**
     * Tells whether bulk copies may be taken straight from views: no, they go through positional
     * reads so a truncating peer cannot fault them (see the class comment).
     *
     * @return false
     */
    @Override
    public boolean viewsAreCheap() {
        return false;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        release.closedByOwner();
        unmapAll();
        cleanable.clean();
    }

    private void unmapAll() {
        for (int i = 0; i < regions.length; i++) {
            if (regions[i] != null) {
                regions[i].close();
                regions[i] = null;
            }
        }
    }

    /**
     * What must be released when the content is closed or found unreachable: the channel and, on JDK
     * 22+, the mapping arenas. It holds no mapped buffer, so registering it with the cleaner does not
     * keep the mappings reachable (on JDK 17 the garbage collector unmaps them once the views are gone).
     */
    private static final class Release implements Runnable {
        private final String name;
        private final FileChannel channel;
        private final List<AutoCloseable> arenas;
        private final String site;
        private volatile boolean closedByOwner;

        Release(String name, FileChannel channel, List<AutoCloseable> arenas, String site) {
            this.name = name;
            this.channel = channel;
            this.arenas = arenas;
            this.site = site;
        }

        void closedByOwner() {
            closedByOwner = true;
        }

        @Override
        public void run() {
            if (!closedByOwner) {
                OpenSite.warnUnclosed(name, site);
                for (AutoCloseable arena : arenas) {
                    try {
                        arena.close();
                    } catch (Exception | Error e) {
                        // a view still in use on another thread; its arena is freed when that ends
                    }
                }
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only channel, nothing to flush
            }
        }
    }
}
