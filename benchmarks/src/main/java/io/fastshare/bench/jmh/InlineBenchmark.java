package io.fastshare.bench.jmh;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.bench.ObjectStreams;
import io.fastshare.bench.PayloadType;
import io.fastshare.bench.ShmDirectory;
import io.fastshare.bench.Sink;
import io.fastshare.bench.Sizes;
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

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * The cost of the inline path for small payloads: fastshare write+read of a payload that travels
 * inside the token ({@code FSHR:inl:...}), against the plain encoder a user could write by hand
 * (the array's bytes as base64url in a string and back, no header) and the {@code ObjectOutputStream}
 * round trip. The Python original pays 116 us for 10 KB here.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class InlineBenchmark {

    /** Payload size; below the default 1 MB threshold, so the token carries it. */
    @Param({"1KB", "10KB"})
    public String size;

    /** Payload type. */
    @Param({"BYTES", "FLOATS"})
    public PayloadType type;

    private Object payload;
    private Class<?> javaType;
    private ShmDirectory directory;
    private SharedMemoryTemplate template;

    /** Creates the payload and the template; checks that the token is inline. */
    @Setup(Level.Trial)
    public void setUp() {
        payload = type.create(Sizes.parse(size));
        javaType = type.javaType();
        directory = ShmDirectory.create();
        // Above the default 8 KiB threshold a 10KB payload would be pooled: this benchmark measures inline tokens.
        template = SharedMemoryTemplate.builder().directory(directory.resolve("blocks")).threshold(64 * 1024).build();
        String token = template.write(payload);
        if (!token.startsWith("FSHR:inl:")) {
            throw new IllegalStateException("expected an inline token for " + size + ": " + token);
        }
        Sink.checkEqual(payload, template.read(token, javaType), "fastshare inline read");
        Sink.checkEqual(payload, plainDecode(plainEncode(payload)), "plain encoder");
    }

    /** Closes the template and removes the directory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        template.close();
        directory.close();
    }

    /**
     * fastshare write (inline token) and read back.
     *
     * @return the copy
     */
    @Benchmark
    public Object fastshareInlineWriteRead() {
        return template.read(template.write(payload), javaType);
    }

    /**
     * The plain encoder: raw little-endian bytes as base64url and back.
     *
     * @return the copy
     */
    @Benchmark
    public Object plainBase64WriteRead() {
        return plainDecode(plainEncode(payload));
    }

    /**
     * {@code ObjectOutputStream} round trip of the same payload.
     *
     * @return the copy
     */
    @Benchmark
    public Object objectStreamRoundTrip() {
        return ObjectStreams.roundTrip(payload);
    }

    private String plainEncode(Object value) {
        byte[] bytes;
        if (value instanceof byte[] b) {
            bytes = b;
        } else {
            float[] floats = (float[]) value;
            ByteBuffer buffer = ByteBuffer.allocate(floats.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asFloatBuffer().put(floats);
            bytes = buffer.array();
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private Object plainDecode(String text) {
        byte[] bytes = Base64.getUrlDecoder().decode(text);
        if (type == PayloadType.BYTES) {
            return bytes;
        }
        float[] floats = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(floats);
        return floats;
    }
}
