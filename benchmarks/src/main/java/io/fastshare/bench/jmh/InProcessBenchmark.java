package io.fastshare.bench.jmh;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.bench.Floors;
import io.fastshare.bench.Json;
import io.fastshare.bench.ObjectStreams;
import io.fastshare.bench.PayloadType;
import io.fastshare.bench.ShmDirectory;
import io.fastshare.bench.Sink;
import io.fastshare.bench.Sizes;
import io.fastshare.store.Unmapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.MappedByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Single-process transfers of one payload, fastshare against the alternatives a JVM user has:
 * write+read(copy) and write+open(view) through a {@link SharedMemoryTemplate} with default settings
 * (payloads under the threshold travel inline in the token, larger ones through a pooled block in
 * /dev/shm), the same with the pool off (a fresh block file per write, as the first release did), the
 * {@code ObjectOutputStream} round trip, the Jackson JSON round trip, and the floors
 * ({@code System.arraycopy} and a refill of an already-faulted shared mapping).
 *
 * <p>Sample-time mode: every invocation is timed, so the report has the median and the spread.
 * Blocks are released after each invocation, outside the timed section. Sizes and types are JMH
 * parameters ({@code -p size=1KB,100MB -p type=FLOATS}); run.sh runs 1 GB without the JSON and
 * object-stream benchmarks, whose intermediate buffers would not fit a sane heap.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class InProcessBenchmark {

    /** Payload size, decimal units as in the issue. */
    @Param({"1KB", "100KB", "1MB", "10MB", "100MB"})
    public String size;

    /** Payload type; {@code EMBEDDINGS} (the structured record) is run with {@code -p type=EMBEDDINGS}. */
    @Param({"BYTES", "FLOATS"})
    public PayloadType type;

    private Object payload;
    private Object target;
    private Class<?> javaType;
    private ShmDirectory directory;
    private SharedMemoryTemplate template;
    private SharedMemoryTemplate fileTemplate;
    private MappedByteBuffer mapping;
    private String token;
    private String fileToken;

    /** Creates the payload, the template and the floor's mapping. */
    @Setup(Level.Trial)
    public void setUp() {
        long bytes = Sizes.parse(size);
        payload = type.create(bytes);
        javaType = type.javaType();
        target = type == PayloadType.EMBEDDINGS ? type.create(bytes)
                : java.lang.reflect.Array.newInstance(javaType.getComponentType(), java.lang.reflect.Array.getLength(payload));
        directory = ShmDirectory.create();
        template = SharedMemoryTemplate.builder().directory(directory.resolve("blocks")).build();
        fileTemplate = SharedMemoryTemplate.builder().directory(directory.resolve("blocks")).poolSize(0).build();
        mapping = Floors.faultedMapping(directory.resolve("refill"), PayloadType.byteLength(payload));
        String check = template.write(payload);
        Sink.checkEqual(payload, template.read(check, javaType), "fastshare read");
        template.release(check);
        String fileCheck = fileTemplate.write(payload);
        Sink.checkEqual(payload, fileTemplate.read(fileCheck, javaType), "fastshare read of a file block");
        fileTemplate.release(fileCheck);
    }

    /** Releases the block written by the last invocation, outside the timed section. */
    @TearDown(Level.Invocation)
    public void releaseBlock() {
        if (token != null) {
            template.release(token);
            token = null;
        }
        if (fileToken != null) {
            fileTemplate.release(fileToken);
            fileToken = null;
        }
    }

    /** Closes the template and removes the directory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        Unmapper.unmap(mapping);
        fileTemplate.close();
        template.close();
        directory.close();
    }

    /**
     * fastshare write, then read back as a heap copy.
     *
     * @return the copy
     */
    @Benchmark
    public Object fastshareWriteReadCopy() {
        token = template.write(payload);
        return template.read(token, javaType);
    }

    private int openFirstBuffer(SharedMemoryTemplate from, String written) {
        try (SharedPayload handle = from.open(written)) {
            // Embeddings under the out-of-band threshold have no buffer: the vectors are in the JSON.
            return handle.buffers().isEmpty() ? handle.value(javaType).hashCode() : handle.view(0).capacity();
        }
    }

    /**
     * fastshare write, then open a zero-copy view (mapped, untouched) of the first buffer (the array,
     * or the out-of-band vectors of {@code Embeddings}) and close it.
     *
     * @return the view's capacity
     */
    @Benchmark
    public int fastshareWriteOpenView() {
        token = template.write(payload);
        return openFirstBuffer(template, token);
    }

    /**
     * The same as {@link #fastshareWriteReadCopy()} with the pool off: every block a fresh file.
     *
     * @return the copy
     */
    @Benchmark
    public Object fastshareFileWriteReadCopy() {
        fileToken = fileTemplate.write(payload);
        return fileTemplate.read(fileToken, javaType);
    }

    /**
     * The same as {@link #fastshareWriteOpenView()} with the pool off: every block a fresh file.
     *
     * @return the view's capacity
     */
    @Benchmark
    public int fastshareFileWriteOpenView() {
        fileToken = fileTemplate.write(payload);
        return openFirstBuffer(fileTemplate, fileToken);
    }

    /**
     * {@code ObjectOutputStream} to bytes and back.
     *
     * @return the copy
     */
    @Benchmark
    public Object objectStreamRoundTrip() {
        return ObjectStreams.roundTrip(payload);
    }

    /**
     * Jackson JSON to bytes and back.
     *
     * @return the copy
     */
    @Benchmark
    public Object jsonRoundTrip() {
        return Json.roundTrip(payload, castType());
    }

    /**
     * Floor: one {@code System.arraycopy} into a preallocated array.
     *
     * @return the target
     */
    @Benchmark
    public Object floorArraycopy() {
        Floors.arraycopy(payload, target);
        return target;
    }

    /**
     * Floor: copy into a shared mapping whose pages are already faulted in.
     *
     * @return the mapping
     */
    @Benchmark
    public Object floorRefillFaultedMapping() {
        Floors.refill(payload, mapping);
        return mapping;
    }

    @SuppressWarnings("unchecked")
    private Class<Object> castType() {
        return (Class<Object>) javaType;
    }
}
