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
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Measures a 100 MB {@link Embeddings} record (384-dimensional float vectors, one id per vector)
 * moved three ways, each a full round trip in one JVM: fastshare {@code write} + {@code read} through
 * a block in shared memory (and {@code write} + {@code open().value()}, which copies from the mapping); Jackson JSON bytes ({@code writeValueAsBytes} + {@code readValue}, plain
 * mapper); Java serialisation ({@code ObjectOutputStream} + {@code ObjectInputStream}). Prints the
 * median of the timed iterations after warm-up. Not a test; run it as a program:
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
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).build()) {
            long[] fastshare = measure("fastshare write+read", warmups, iterations, checksum, () -> {
                String token = template.write(embeddings);
                Embeddings copy = template.read(token, Embeddings.class);
                template.release(token);
                return copy;
            });
            long[] writeOnly = new long[iterations];
            long[] readOnly = new long[iterations];
            for (int i = 0; i < warmups + iterations; i++) {
                long t0 = System.nanoTime();
                String token = template.write(embeddings);
                long t1 = System.nanoTime();
                Embeddings copy = template.read(token, Embeddings.class);
                long t2 = System.nanoTime();
                template.release(token);
                if (i >= warmups) {
                    writeOnly[i - warmups] = t1 - t0;
                    readOnly[i - warmups] = t2 - t1;
                }
                check(copy.checksum(), checksum);
            }
            report("  of which write", writeOnly);
            report("  of which read", readOnly);
            measure("fastshare write+open().value()", warmups, iterations, checksum, () -> {
                String token = template.write(embeddings);
                Embeddings copy;
                try (SharedPayload payload = template.open(token)) {
                    copy = payload.value(Embeddings.class);
                }
                template.release(token);
                return copy;
            });

            JsonMapper plain = JsonMapper.builder().build();
            int[] jsonSize = new int[1];
            long[] json = measure("Jackson JSON bytes round trip", warmups, iterations, checksum, () -> {
                byte[] bytes = plain.writeValueAsBytes(embeddings);
                jsonSize[0] = bytes.length;
                return plain.readValue(bytes, Embeddings.class);
            });
            System.out.printf("  JSON document: %,d bytes%n", jsonSize[0]);

            SerializableEmbeddings serializable = new SerializableEmbeddings(embeddings.model(), embeddings.ids(),
                    embeddings.vectors());
            int[] javaSize = new int[1];
            long[] java = measure("ObjectOutputStream round trip", warmups, iterations, checksum, () -> {
                try {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
                        oos.writeObject(serializable);
                    }
                    byte[] bytes = out.toByteArray();
                    javaSize[0] = bytes.length;
                    try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
                        SerializableEmbeddings copy = (SerializableEmbeddings) ois.readObject();
                        return new Embeddings(copy.model(), copy.ids(), copy.vectors());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            System.out.printf("  stream: %,d bytes%n", javaSize[0]);
            System.out.printf("speed-up of fastshare: %.1fx over JSON, %.1fx over ObjectOutputStream%n",
                    (double) median(json) / median(fastshare), (double) median(java) / median(fastshare));
        } finally {
            TestDirs.deleteTree(dir);
        }
    }

    private static long[] measure(String name, int warmups, int iterations, long checksum, Supplier<Embeddings> run) {
        long[] times = new long[iterations];
        for (int i = 0; i < warmups + iterations; i++) {
            long start = System.nanoTime();
            Embeddings copy = run.get();
            long elapsed = System.nanoTime() - start;
            check(copy.checksum(), checksum);
            if (i >= warmups) {
                times[i - warmups] = elapsed;
            }
        }
        report(name, times);
        return times;
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
