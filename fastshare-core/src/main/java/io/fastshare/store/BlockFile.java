package io.fastshare.store;

import io.fastshare.BlockNotFoundException;
import io.fastshare.CorruptBlockException;
import io.fastshare.FastShareException;
import io.fastshare.format.BlockContent;
import io.fastshare.format.BlockDecoder;
import io.fastshare.format.BlockHeader;
import io.fastshare.format.BlockLayout;
import io.fastshare.format.BlockName;
import io.fastshare.format.BlockPreamble;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * An open, validated block file on the read side. Opening checks that the path is a regular file
 * (a planted FIFO would block {@code open()} forever, a symlink could point anywhere) with a single
 * link (a planted hard link could name a file that lives elsewhere), opens it without following links, and validates header, buffer table and checksum against the real file size before
 * anything else is read.
 *
 * <p>The open channel keeps the data readable even if the file is deleted meanwhile. Not thread-safe.
 */
public final class BlockFile implements AutoCloseable {

    private final BlockName name;
    private final Path path;
    private final FileChannel channel;
    private final BlockPreamble preamble;
    private boolean channelHandedOver;

    private BlockFile(BlockName name, Path path, FileChannel channel, BlockPreamble preamble) {
        this.name = name;
        this.path = path;
        this.channel = channel;
        this.preamble = preamble;
    }

    /**
     * Opens and validates a block.
     *
     * @param directory the block directory
     * @param name the block name
     * @return the open block
     * @throws BlockNotFoundException when no block of that name exists (or the name is not a regular file)
     * @throws CorruptBlockException when the file is not a valid committed block
     * @throws FastShareException when the file is not trusted (owned by another user outside group mode,
     *     or writable by every user), or cannot be read (an I/O error or an interrupted thread),
     *     which says nothing about the block's validity
     */
    public static BlockFile open(BlockDirectory directory, BlockName name) {
        Path path = directory.resolve(name);
        Map<String, Object> attributes;
        try {
            attributes = inspect(path);
        } catch (NoSuchFileException e) {
            throw notFound(directory, name);
        } catch (IOException e) {
            throw new FastShareException("cannot inspect block " + path + ": " + e, e);
        }
        if (!Boolean.TRUE.equals(attributes.get("isRegularFile"))) {
            throw new BlockNotFoundException("block " + name + " not found: " + path
                    + " is not a regular file (symlink, FIFO or directory), so it is not a block and was not opened");
        }
        String distrust = directory.distrust(attributes);
        if (distrust != null) {
            // Like sshd's StrictModes: a file another user controls may carry anything.
            throw new FastShareException("block " + name + " in " + directory + " is not trusted and was not read: "
                    + distrust + "; only blocks written by this user (or, in group mode, by the group) are read");
        }
        int links = ((Number) attributes.getOrDefault("nlink", 1)).intValue();
        if (links > 1) {
            // fastshare creates every block with CREATE_NEW and never links it: a second name means
            // someone planted a hard link to a file that lives elsewhere.
            throw new BlockNotFoundException("block " + name + " not found: " + path + " has " + links
                    + " hard links, so it is not a block fastshare wrote and was not opened");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw notFound(directory, name);
        } catch (IOException e) {
            throw new FastShareException("cannot open block " + path + ": " + e, e);
        }
        try {
            return new BlockFile(name, path, channel, validate(channel, name));
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * Reads file type, link count, owner and mode with one {@code lstat} (every read and open passes here); without a
     * unix attribute view (Windows) hard links cannot be told apart and the count is left out.
     */
    private static Map<String, Object> inspect(Path path) throws IOException {
        try {
            return Files.readAttributes(path, "unix:isRegularFile,nlink,uid,mode", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return Files.readAttributes(path, "basic:isRegularFile", LinkOption.NOFOLLOW_LINKS);
        }
    }

    /**
     * Builds the exception for a missing block, saying what could have happened.
     *
     * @param directory the directory searched
     * @param name the missing block
     * @return the exception
     */
    public static BlockNotFoundException notFound(BlockDirectory directory, BlockName name) {
        return new BlockNotFoundException("block " + name + " not found in " + directory
                + ": it was released or taken, expired and was reclaimed, or was written on another host "
                + "or in another IPC namespace (check that both processes share the block directory)");
    }

    private static BlockPreamble validate(FileChannel channel, BlockName name) {
        String label = name.value();
        try {
            long size = channel.size();
            ByteBuffer header = ByteBuffer.allocate(BlockLayout.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, header, 0, size, label);
            BlockHeader decoded = BlockDecoder.decodeHeader(header.flip(), size, label);
            // Streams the checksum and leaves the metadata in the file: nothing a forged header claims
            // is allocated before it is validated (see BlockDecoder).
            return BlockDecoder.decodePreamble(decoded, new FileBlockContent(channel, label), label);
        } catch (IOException e) {
            // Not corruption: an interrupted thread, an I/O error. A janitor must not delete the block for it.
            throw new FastShareException("cannot read block " + label + ": " + e, e);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer target, long position, long size, String label)
            throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            int n = channel.read(target, at);
            if (n < 0) {
                throw new CorruptBlockException("block " + label + " is corrupt: truncated: " + size
                        + " bytes, shorter than its header says");
            }
            at += n;
        }
    }

    /**
     * Returns the block name.
     *
     * @return name
     */
    public BlockName name() {
        return name;
    }

    /**
     * Returns the file path.
     *
     * @return path
     */
    public Path path() {
        return path;
    }

    /**
     * Returns the validated preamble.
     *
     * @return header, table and metadata
     */
    public BlockPreamble preamble() {
        return preamble;
    }

    /**
     * Returns content that reads with positional reads from this file (copying path). Valid until
     * this block file is closed.
     *
     * @return the content
     */
    public BlockContent copyingContent() {
        return new FileBlockContent(channel, name.value());
    }

    /**
     * Maps the block's buffers read-only, in a bounded number of mappings. The returned content takes
     * over this block file's channel: the mappings and the channel stay valid after this block file is
     * closed, until the content is closed (or, never closed, becomes unreachable).
     *
     * @return mapped content
     * @throws io.fastshare.AllocationException when mapping fails (address space or map count exhausted)
     */
    public BlockContent map() {
        MappedBlockContent content = new MappedBlockContent(channel, name.value(), preamble.buffers());
        channelHandedOver = true;
        return content;
    }

    /**
     * Closes the file channel, unless {@link #map()} handed it to mapped content. Idempotent.
     */
    @Override
    public void close() {
        if (!channelHandedOver) {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only channel, nothing to flush
        }
    }
}
