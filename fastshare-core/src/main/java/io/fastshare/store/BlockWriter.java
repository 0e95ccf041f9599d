package io.fastshare.store;

import io.fastshare.AllocationException;
import io.fastshare.FastShareException;
import io.fastshare.codec.PayloadBuffer;
import io.fastshare.codec.ScratchBuffers;
import io.fastshare.format.BlockLayout;
import io.fastshare.format.BlockName;
import io.fastshare.format.BlockPreamble;
import io.fastshare.format.BufferDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Writes block files. The one place a block comes into being:
 * <ol>
 *   <li>check the filesystem's free space, and the writer's memory cgroup ({@link MemoryBudget}), so a
 *       block that cannot fit fails before any page is touched;</li>
 *   <li>create the file with {@code CREATE_NEW} and the configured permissions;</li>
 *   <li>write the preamble with commit state {@code WRITING} (so a janitor can see whose block it is);</li>
 *   <li>stream every buffer with positional {@code FileChannel.write} in chunks of up to 1 MiB
 *       through a bounded scratch buffer ({@link ScratchBuffers}): about 15 times faster than
 *       first-touching a fresh mapping, and a full tmpfs fails with a clean {@code IOException}
 *       instead of SIGBUS;</li>
 *   <li>rewrite the preamble if a payload checksum was computed on the way;</li>
 *   <li>store the commit marker, last.</li>
 * </ol>
 * Any failure deletes the file before the exception leaves, so no partial block survives a failed
 * write. A crash mid-write leaves a block that never validates (commit state {@code WRITING}) and that
 * the janitor reclaims once the owner's lease is gone.
 *
 * <p>Thread-safe: each call uses its own file and buffers.
 */
public final class BlockWriter {

    /** Largest chunk of positional writes; keeps the JDK's temporary direct buffers small. */
    public static final int CHUNK = ScratchBuffers.SIZE;

    private final BlockDirectory directory;
    private final Consumer<BlockName> beforeCommit;
    private final MemoryBudget memory;

    /**
     * Creates a writer.
     *
     * @param directory where blocks are created
     * @param beforeCommit called after the payload is written and before the commit marker; a hook for
     *     crash tests and diagnostics, normally a no-op
     */
    public BlockWriter(BlockDirectory directory, Consumer<BlockName> beforeCommit) {
        this(directory, beforeCommit, MemoryBudget.of(null, MemoryBudget.DEFAULT_SHARE));
    }

    /**
     * Creates a writer that also checks the writer's memory cgroup.
     *
     * @param directory where blocks are created
     * @param beforeCommit called after the payload is written and before the commit marker
     * @param memory the memory-cgroup budget every write must fit
     */
    public BlockWriter(BlockDirectory directory, Consumer<BlockName> beforeCommit, MemoryBudget memory) {
        this.directory = directory;
        this.beforeCommit = beforeCommit;
        this.memory = memory;
    }

    /**
     * Writes and commits a block.
     *
     * @param name the new block's name
     * @param preamble the planned preamble, whose buffers match {@code buffers}
     * @param buffers the payload buffers
     * @throws AllocationException when the file cannot be created, the filesystem is full, or the block
     *     would push the writer past its share of its memory cgroup's limit
     * @throws FastShareException on any other failure; the partial file is deleted in every case
     */
    public void write(BlockName name, BlockPreamble preamble, List<PayloadBuffer> buffers) {
        long size = preamble.header().totalLength();
        long usable = directory.usableSpace();
        if (usable >= 0 && usable < size) {
            throw full("a " + size + "-byte block does not fit in", usable, null);
        }
        memory.check(size, directory);
        Path file = directory.resolve(name);
        FileChannel channel = directory.createBlockFile(name);
        boolean committed = false;
        try (channel) {
            writeFully(channel, preamble.encode(BlockLayout.WRITING, 0), 0);
            CRC32C crc = preamble.header().hasPayloadCrc() ? new CRC32C() : null;
            writeBuffers(channel, preamble.buffers(), buffers, crc);
            long total = preamble.header().totalLength();
            if (channel.size() < total) {
                // The block ends in alignment padding before an empty buffer that no write reached;
                // readers check the file size against the header, so the file must reach the end.
                writeFully(channel, ByteBuffer.allocate(1), total - 1);
            }
            if (crc != null) {
                writeFully(channel, preamble.encode(BlockLayout.WRITING, (int) crc.getValue()), 0);
            }
            beforeCommit.accept(name);
            ByteBuffer commit = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, BlockLayout.COMMITTED);
            writeFully(channel, commit, BlockLayout.COMMIT_OFFSET);
            committed = true;
        } catch (IOException e) {
            throw translate(file, preamble.header().totalLength(), e);
        } finally {
            if (!committed) {
                deleteQuietly(file);
            }
        }
    }

    private static void writeBuffers(FileChannel channel, List<BufferDescriptor> layout, List<PayloadBuffer> buffers,
            CRC32C crc) throws IOException {
        long largest = 0;
        for (BufferDescriptor descriptor : layout) {
            largest = Math.max(largest, descriptor.length());
        }
        if (largest == 0) {
            return;
        }
        ByteBuffer chunk = ScratchBuffers.take(largest);
        try {
            for (int i = 0; i < layout.size(); i++) {
                BufferDescriptor descriptor = layout.get(i);
                PayloadBuffer buffer = buffers.get(i);
                long done = 0;
                while (done < descriptor.length()) {
                    int length = (int) Math.min(chunk.capacity(), descriptor.length() - done);
                    chunk.clear().limit(length);
                    buffer.source().copyTo(done, chunk);
                    chunk.flip();
                    if (crc != null) {
                        crc.update(chunk.duplicate());
                    }
                    writeFully(channel, chunk, descriptor.offset() + done);
                    done += length;
                }
            }
        } finally {
            ScratchBuffers.give(chunk);
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer source, long position) throws IOException {
        long at = position;
        while (source.hasRemaining()) {
            at += channel.write(source, at);
        }
    }

    private FastShareException translate(Path file, long size, IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("No space left") || message.contains("Disk quota")) {
            return full("cannot write a " + size + "-byte block to", directory.usableSpace(), e);
        }
        return new AllocationException("cannot write block " + file + ": " + e, e);
    }

    /** One message for a full filesystem, whether the space check or the write itself found it. */
    private AllocationException full(String what, long free, IOException cause) {
        return new AllocationException("shared memory is full: " + what + " " + directory + " (" + free
                + " bytes free); release blocks, run cleanup, or enlarge the filesystem (Docker --shm-size, "
                + "Kubernetes emptyDir sizeLimit)", cause);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the janitor reclaims an uncommitted block of a dead owner
        }
    }
}
