package io.fastshare.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The floors no transfer can beat: a heap-to-heap {@code System.arraycopy}, and a copy into a
 * shared mapping whose pages are already faulted in (what a pooled block would cost). Stateless.
 */
public final class Floors {

    private Floors() {
    }

    /**
     * Copies a payload into a preallocated array of the same type and length.
     *
     * @param source a {@code byte[]} or {@code float[]}; for {@link Embeddings} its vectors
     * @param target an array of the same type and length (or embeddings of the same size)
     */
    public static void arraycopy(Object source, Object target) {
        Object from = source instanceof Embeddings e ? e.vectors() : source;
        Object to = target instanceof Embeddings e ? e.vectors() : target;
        System.arraycopy(from, 0, to, 0, java.lang.reflect.Array.getLength(from));
    }

    /**
     * Maps a file of {@code bytes} bytes read-write and touches every page once so that later copies
     * run at memory speed. The file stays where it is; delete it after unmapping.
     *
     * @param file the file to create (must not be mapped elsewhere)
     * @param bytes its size
     * @return the faulted mapping, little-endian
     * @throws UncheckedIOException when the file cannot be created or mapped
     */
    public static MappedByteBuffer faultedMapping(Path file, long bytes) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            // Allocate the tmpfs pages with write(2) first: first-touching holes through a mapping
            // would SIGBUS if tmpfs were full.
            java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocateDirect(1 << 20);
            for (long at = 0; at < bytes; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - at));
                at += channel.write(zeros, at);
            }
            MappedByteBuffer mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
            mapping.order(ByteOrder.LITTLE_ENDIAN);
            for (int at = 0; at < bytes; at += 4096) {
                mapping.put(at, (byte) 0);
            }
            return mapping;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + file, e);
        }
    }

    /**
     * Copies a payload into an already-faulted mapping.
     *
     * @param source a {@code byte[]} or {@code float[]}
     * @param mapping a mapping at least as large as the payload
     */
    public static void refill(Object source, MappedByteBuffer mapping) {
        if (source instanceof byte[] bytes) {
            mapping.put(0, bytes, 0, bytes.length);
        } else if (source instanceof float[] floats) {
            mapping.asFloatBuffer().put(0, floats, 0, floats.length);
        } else if (source instanceof Embeddings embeddings) {
            mapping.asFloatBuffer().put(0, embeddings.vectors(), 0, embeddings.vectors().length);
        } else {
            throw new IllegalArgumentException("not a benchmark payload: " + source.getClass());
        }
    }
}
