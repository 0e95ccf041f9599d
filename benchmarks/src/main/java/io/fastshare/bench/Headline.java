package io.fastshare.bench;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.store.Unmapper;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The headline single-process numbers at one payload size (100 MB by default): fastshare
 * write+read(copy) and write+open(view) through {@link SharedMemoryTemplate} with default settings,
 * with write, read and release timed apart as well (where the time goes), against the
 * {@code ObjectOutputStream} round trip and the floors; then {@code open()} latency of blocks from
 * 1 MB to 1 GB.
 *
 * <p>Every round of an allocating operation starts after {@code System.gc()} (outside the timed
 * section) so that a collection triggered by the previous round's garbage does not land in the next
 * one's time. Not thread-safe; run from {@code main}.
 */
public final class Headline {

    private final Sampler sampler;
    private final Sampler latencySampler;
    private final List<Result> results = new ArrayList<>();

    /**
     * Creates the harness.
     *
     * @param warmups untimed rounds of each bulk operation
     * @param iterations timed rounds of each bulk operation
     */
    public Headline(int warmups, int iterations) {
        this.sampler = new Sampler(warmups, iterations);
        this.latencySampler = new Sampler(Math.max(500, warmups * 100), Math.max(200, iterations * 20));
    }

    /**
     * Measures bulk operations on one payload.
     *
     * @param type payload type
     * @param bytes payload size
     * @return the results so far
     */
    public List<Result> bulk(PayloadType type, long bytes) {
        Object payload = type.create(bytes);
        long size = PayloadType.byteLength(payload);
        Class<?> javaType = type.javaType();
        try (ShmDirectory dir = ShmDirectory.create();
             SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir.resolve("blocks")).build()) {

            String check = template.write(payload);
            Sink.checkEqual(payload, template.read(check, javaType), "fastshare read");
            template.release(check);
            Sink.checkEqual(payload, ObjectStreams.roundTrip(payload), "object stream round trip");

            add("fastshare write+read(copy)", type, size, sampler.measure(() -> {
                gc();
                long start = System.nanoTime();
                String token = template.write(payload);
                Object copy = template.read(token, javaType);
                long nanos = System.nanoTime() - start;
                Sink.consume(copy);
                template.release(token);
                return nanos;
            }));
            add("fastshare write", type, size, sampler.measure(() -> {
                gc();
                long start = System.nanoTime();
                String token = template.write(payload);
                long nanos = System.nanoTime() - start;
                template.release(token);
                return nanos;
            }));
            String written = template.write(payload);
            add("fastshare read(copy) of a written block", type, size, sampler.measure(() -> {
                gc();
                long start = System.nanoTime();
                Object copy = template.read(written, javaType);
                long nanos = System.nanoTime() - start;
                Sink.consume(copy);
                return nanos;
            }));
            add("heap allocation of the result array", type, size, sampler.measure(() -> {
                gc();
                long start = System.nanoTime();
                Object copy = java.lang.reflect.Array.newInstance(javaType.getComponentType(),
                        java.lang.reflect.Array.getLength(payload));
                long nanos = System.nanoTime() - start;
                Sink.consume(copy);
                return nanos;
            }));
            template.release(written);
            add("fastshare release", type, size, sampler.measure(() -> {
                String token = template.write(payload);
                long start = System.nanoTime();
                template.release(token);
                return System.nanoTime() - start;
            }));
            add("fastshare write+open(view)", type, size, sampler.measure(() -> {
                gc();
                long start = System.nanoTime();
                String token = template.write(payload);
                long nanos;
                try (SharedPayload handle = template.open(token)) {
                    Sink.consume(handle.view(0));
                    nanos = System.nanoTime() - start;
                }
                template.release(token);
                return nanos;
            }));
            add("ObjectStream round trip", type, size, sampler.measure(() -> {
                gc();
                long start = System.nanoTime();
                Object copy = ObjectStreams.roundTrip(payload);
                long nanos = System.nanoTime() - start;
                Sink.consume(copy);
                return nanos;
            }));
            add("ObjectStream serialize", type, size, sampler.measure(() -> {
                gc();
                long start = System.nanoTime();
                byte[] stream = ObjectStreams.serialize(payload);
                long nanos = System.nanoTime() - start;
                Sink.consume(stream);
                return nanos;
            }));
            byte[] stream = ObjectStreams.serialize(payload);
            add("ObjectStream deserialize", type, size, sampler.measure(() -> {
                gc();
                long start = System.nanoTime();
                Object copy = ObjectStreams.deserialize(stream);
                long nanos = System.nanoTime() - start;
                Sink.consume(copy);
                return nanos;
            }));
            Object target = java.lang.reflect.Array.newInstance(javaType.getComponentType(),
                    java.lang.reflect.Array.getLength(payload));
            add("floor: System.arraycopy", type, size, sampler.measure(() -> {
                long start = System.nanoTime();
                Floors.arraycopy(payload, target);
                return System.nanoTime() - start;
            }));
            Path scratch = dir.resolve("refill");
            MappedByteBuffer mapping = Floors.faultedMapping(scratch, size);
            try {
                add("floor: refill of a faulted mapping", type, size, sampler.measure(() -> {
                    long start = System.nanoTime();
                    Floors.refill(payload, mapping);
                    return System.nanoTime() - start;
                }));
            } finally {
                Unmapper.unmap(mapping);
                deleteQuietly(scratch);
            }
        }
        return results;
    }

    /**
     * Measures {@code open()} (map and validate) and {@code close()} (unmap) of one block, untouched.
     *
     * @param bytes block payload size ({@code byte[]})
     * @return the results so far
     */
    public List<Result> openLatency(long bytes) {
        try (ShmDirectory dir = ShmDirectory.create();
             SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir.resolve("blocks")).build()) {
            String token;
            {
                byte[] payload = (byte[]) PayloadType.BYTES.create(bytes);
                gc();
                long start = System.nanoTime();
                token = template.write(payload);
                long nanos = System.nanoTime() - start;
                try (SharedPayload handle = template.open(token)) {
                    nanos = System.nanoTime() - start;
                    Sink.consume(handle.view(0));
                }
                results.add(new Result("headline", "fastshare write+open(view), single shot", "byte[]", bytes,
                        Stats.of(new long[] {nanos})));
            }
            add("fastshare open()", PayloadType.BYTES, bytes, latencySampler.measure(() -> {
                long start = System.nanoTime();
                SharedPayload handle = template.open(token);
                long nanos = System.nanoTime() - start;
                handle.close();
                return nanos;
            }));
            add("fastshare open()+close()", PayloadType.BYTES, bytes, latencySampler.measure(() -> {
                long start = System.nanoTime();
                SharedPayload handle = template.open(token);
                handle.close();
                return System.nanoTime() - start;
            }));
            template.release(token);
        }
        return results;
    }

    private void add(String operation, PayloadType type, long bytes, Stats stats) {
        Result result = new Result("headline", operation, type.label(), bytes, stats);
        results.add(result);
        System.out.println(result.describe());
    }

    private static void gc() {
        System.gc();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the directory is deleted as a whole afterwards
        }
    }

    /**
     * Returns everything measured.
     *
     * @return results in measurement order
     */
    public List<Result> results() {
        return results;
    }
}
