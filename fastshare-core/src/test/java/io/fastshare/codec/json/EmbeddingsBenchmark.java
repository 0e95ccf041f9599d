package io.fastshare.codec.json;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.TestDirs;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Measures a 100 MB {@link Embeddings} record (384-dimensional float vectors, one id per vector)
 * moved three ways, each a full round trip in one JVM: fastshare {@code write} + {@code read} through
 * a block in shared memory (and {@code write} + {@code open().value()}, which copies from the mapping); Jackson JSON bytes ({@code writeValueAsBytes} + {@code readValue}, plain
 * mapper); Java serialisation ({@code ObjectOutputStream} + {@code ObjectInputStream}). Prints the
 * median of the timed iterations after warm-up; the methods run round-robin within each iteration so
 * that they share the same machine load. Not a test; run it as a program:
 *
 * <pre>
 * mvn -B -q -o -pl fastshare-core test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx8g -cp fastshare-core/target/test-classes:fastshare-core/target/classes:$(cat fastshare-core/target/cp.txt) \
 *     io.fastshare.codec.json.EmbeddingsBenchmark [warmups=2] [iterations=7]
 * </pre>
 */
public final class EmbeddingsBenchmark {

    private static final long BYTES = 100_000_000L;
    private static final int DIMENSION = 384;

    /** The same record made Serializable, for the ObjectOutputStream baseline. */
    record SerializableEmbeddings(String model, List<String> ids, float[] vectors) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private EmbeddingsBenchmark() {
    }

    /**
     * Runs the measurement.
     *
     * @param args optional warm-up and timed iteration counts
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int warmups = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Embeddings embeddings = Embeddings.make(BYTES, DIMENSION, 7);
        long checksum = embeddings.checksum();
        System.out.printf("payload: %d vectors x %d floats = %,d bytes of vectors, %d ids%n",
                embeddings.ids().size(), DIMENSION, embeddings.vectors().length * 4L, embeddings.ids().size());

        Path dir = Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : System.getProperty("java.io.tmpdir"))
                .resolve("fastshare-bench-" + UUID.randomUUID());
        JsonMapper plain = JsonMapper.builder().build();
        SerializableEmbeddings serializable = new SerializableEmbeddings(embeddings.model(), embeddings.ids(),
                embeddings.vectors());
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).build()) {
            Map<String, Supplier<Embeddings>> methods = new LinkedHashMap<>();
            methods.put("fastshare write+read", () -> {
                String token = template.write(embeddings);
                Embeddings copy = template.read(token, Embeddings.class);
                template.release(token);
                return copy;
            });
            methods.put("fastshare write+open().value()", () -> {
                String token = template.write(embeddings);
                Embeddings copy;
                try (SharedPayload payload = template.open(token)) {
                    copy = payload.value(Embeddings.class);
                }
                template.release(token);
                return copy;
            });
            methods.put("Jackson JSON bytes round trip", () -> {
                byte[] bytes = plain.writeValueAsBytes(embeddings);
                return plain.readValue(bytes, Embeddings.class);
            });
            methods.put("ObjectOutputStream round trip", () -> {
                try {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
                        oos.writeObject(serializable);
                    }
                    try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(out.toByteArray()))) {
                        SerializableEmbeddings copy = (SerializableEmbeddings) ois.readObject();
                        return new Embeddings(copy.model(), copy.ids(), copy.vectors());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // Round-robin, so that every method sees the same machine load (the build machine is shared).
            Map<String, long[]> times = new LinkedHashMap<>();
            methods.keySet().forEach(name -> times.put(name, new long[iterations]));
            long[] write = new long[iterations];
            long[] read = new long[iterations];
            for (int i = 0; i < warmups + iterations; i++) {
                for (Map.Entry<String, Supplier<Embeddings>> method : methods.entrySet()) {
                    long start = System.nanoTime();
                    Embeddings copy = method.getValue().get();
                    long elapsed = System.nanoTime() - start;
                    check(copy.checksum(), checksum);
                    if (i >= warmups) {
                        times.get(method.getKey())[i - warmups] = elapsed;
                    }
                }
                long t0 = System.nanoTime();
                String token = template.write(embeddings);
                long t1 = System.nanoTime();
                Embeddings copy = template.read(token, Embeddings.class);
                long t2 = System.nanoTime();
                template.release(token);
                check(copy.checksum(), checksum);
                if (i >= warmups) {
                    write[i - warmups] = t1 - t0;
                    read[i - warmups] = t2 - t1;
                }
            }
            times.forEach(EmbeddingsBenchmark::report);
            report("fastshare write alone", write);
            report("fastshare read alone", read);
            System.out.printf("sizes: JSON document %,d bytes, Java serialisation stream %,d bytes%n",
                    plain.writeValueAsBytes(embeddings).length, javaSize(serializable));
            long fast = median(times.get("fastshare write+read"));
            System.out.printf("fastshare vs JSON: %.1fx, vs ObjectOutputStream: %.1fx (in-process; the baselines "
                    + "move no bytes between processes)%n", (double) median(times.get("Jackson JSON bytes round trip")) / fast,
                    (double) median(times.get("ObjectOutputStream round trip")) / fast);
        } finally {
            TestDirs.deleteTree(dir);
        }
    }

    private static int javaSize(Serializable value) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
            oos.writeObject(value);
        }
        return out.size();
    }

    private static void check(long actual, long expected) {
        if (actual != expected) {
            throw new IllegalStateException("round trip changed the payload");
        }
    }

    private static void report(String name, long[] times) {
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        System.out.printf("%-32s median %8.1f ms  (min %.1f, max %.1f, n=%d)%n", name, median(times) / 1e6,
                sorted[0] / 1e6, sorted[sorted.length - 1] / 1e6, times.length);
    }

    private static long median(long[] times) {
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
