package io.fastshare.codec.json;

import io.fastshare.CodecException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import io.fastshare.codec.EncodedPayload;
import io.fastshare.codec.TypeAllowList;
import io.fastshare.format.BufferDescriptor;
import io.fastshare.format.ElementType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Structured payloads through the JSON codec with out-of-band arrays, in one process. */
class JsonCodecTest {

    @TempDir
    Path tempDir;

    private final List<SharedMemoryTemplate> templates = new ArrayList<>();

    private SharedMemoryTemplate template(SharedMemoryTemplate.Builder builder) {
        // Forced inline writes of payloads above the default 48,000-byte inline limit: this test is about codecs.
        SharedMemoryTemplate template = builder.directory(dir()).maxInlineSize(16L << 20).build();
        templates.add(template);
        return template;
    }

    private Path dir;

    private Path dir() {
        if (dir == null) {
            dir = TestDirs.blockDir(tempDir);
        }
        return dir;
    }

    @AfterEach
    void tearDown() {
        templates.forEach(SharedMemoryTemplate::close);
        if (dir != null) {
            TestDirs.assertNoBlocks(dir);
        }
    }

    @Test
    void embeddingsRoundTripWithVectorsOutOfBand() {
        SharedMemoryTemplate template = template(SharedMemoryTemplate.builder());
        Embeddings written = Embeddings.make(8 << 20, 64, 1);
        String token = template.write(written);
        assertThat(token).startsWith("FSHR:pool:");

        Embeddings read = template.read(token, Embeddings.class);
        assertSame(read, written);
        try (SharedPayload payload = template.open(token)) {
            assertThat(payload.codecId()).isEqualTo("json");
            assertThat(payload.buffers()).hasSize(1);
            BufferDescriptor vectors = payload.buffers().get(0);
            assertThat(vectors.elementType()).isEqualTo(ElementType.FLOAT32);
            assertThat(vectors.shape()).containsExactly(written.vectors().length);
            assertThat(vectors.offset() % 64).isZero();
            assertSame(payload.value(Embeddings.class), written);
        }
        assertThat(template.release(token)).isTrue();
    }

    @Test
    void sameEncodingInlineAndShared() {
        SharedMemoryTemplate template = template(SharedMemoryTemplate.builder());
        Embeddings written = Embeddings.make(64 << 10, 16, 2);
        String inline = template.write(written, WriteOptions.defaults().inline());
        String shared = template.write(written, WriteOptions.defaults().shared());
        assertThat(inline).startsWith("FSHR:inl:");
        assertThat(shared).startsWith("FSHR:pool:");
        try (SharedPayload a = template.open(inline); SharedPayload b = template.open(shared)) {
            assertThat(a.buffers()).isEqualTo(b.buffers());
            assertThat(a.size()).isEqualTo(b.size());
            assertThat(a.view(0)).isEqualTo(b.view(0));
        }
        assertSame(template.read(inline, Embeddings.class), written);
        assertSame(template.read(shared, Embeddings.class), written);
        template.release(shared);
    }

    @Test
    void mapOfLargeColumnsThroughTypeReference() {
        SharedMemoryTemplate template = template(SharedMemoryTemplate.builder());
        Map<String, double[]> columns = new LinkedHashMap<>();
        for (String name : List.of("price", "volume", "bid", "ask")) {
            columns.put(name, doubles(500_000, name.hashCode()));
        }
        columns.put("tiny", new double[] {1.5, Double.NaN, Double.NEGATIVE_INFINITY});
        String token = template.write(columns);

        Map<String, double[]> read = template.read(token, new TypeReference<Map<String, double[]>>() { });
        assertThat(read).containsOnlyKeys(columns.keySet());
        columns.forEach((name, values) -> assertThat(read.get(name)).isEqualTo(values));
        try (SharedPayload payload = template.open(token)) {
            assertThat(payload.buffers()).hasSize(4).allMatch(b -> b.elementType() == ElementType.FLOAT64);
            Map<String, double[]> viewed = payload.value(new TypeReference<Map<String, double[]>>() { });
            assertThat(viewed.get("bid")).isEqualTo(columns.get("bid"));
        }
        template.release(token);
    }

    @Test
    void arraysNestedInListsMapsRecordsAndPojos() {
        SharedMemoryTemplate template = template(SharedMemoryTemplate.builder().outOfBandThreshold(1024));
        Shapes.Frame frame = new Shapes.Frame("f1",
                List.of(floats(10_000, 1), new float[] {Float.NaN, Float.POSITIVE_INFINITY, -0f}, floats(20_000, 3)),
                Map.of("big", ints(5_000, 4), "small", ints(4, 5)),
                new Shapes.Tile(new short[] {1, -2, 3}, longs(1_000, 6), "hello, world".toCharArray()));
        String token = template.write(frame, WriteOptions.defaults().shared());
        Shapes.Frame read = template.read(token, Shapes.Frame.class);
        assertThat(read.name()).isEqualTo("f1");
        assertThat(read.channels()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(read.channels().get(i)).isEqualTo(frame.channels().get(i));
        }
        assertThat(read.labels().get("big")).isEqualTo(frame.labels().get("big"));
        assertThat(read.labels().get("small")).isEqualTo(frame.labels().get("small"));
        assertThat(read.tile().small()).isEqualTo(frame.tile().small());
        assertThat(read.tile().large()).isEqualTo(frame.tile().large());
        assertThat(read.tile().text()).isEqualTo(frame.tile().text());
        try (SharedPayload payload = template.open(token)) {
            // two large float channels, the large int labels, the long array: 4 out-of-band buffers
            assertThat(payload.buffers()).extracting(BufferDescriptor::elementType)
                    .containsExactlyInAnyOrder(ElementType.FLOAT32, ElementType.FLOAT32, ElementType.INT32,
                            ElementType.INT64);
        }
        template.release(token);

        Shapes.Pojo pojo = new Shapes.Pojo();
        pojo.setTitle("p");
        pojo.setData(bytes(100_000, 7));
        pojo.setValues(doubles(10, 8));
        String pojoToken = template.write(pojo);
        Shapes.Pojo copy = template.read(pojoToken, Shapes.Pojo.class);
        assertThat(copy.getTitle()).isEqualTo("p");
        assertThat(copy.getData()).isEqualTo(pojo.getData());
        assertThat(copy.getValues()).isEqualTo(pojo.getValues());
        template.release(pojoToken);
    }

    @Test
    void bufferFieldsAreViewsInsideOpenAndHeapCopiesFromRead() {
        SharedMemoryTemplate template = template(SharedMemoryTemplate.builder());
        float[] floats = floats(100_000, 9);
        int[] ints = ints(50_000, 10);
        byte[] raw = bytes(70_000, 11);
        Shapes.Buffers written = new Shapes.Buffers(ByteBuffer.wrap(raw), FloatBuffer.wrap(floats),
                IntBuffer.wrap(ints));
        String token = template.write(written, WriteOptions.defaults().shared());

        Shapes.Buffers copy = template.read(token, Shapes.Buffers.class);
        assertThat(copy.floats().isDirect()).isFalse();
        assertThat(copy.floats().isReadOnly()).isFalse();
        assertThat(copy.floats()).isEqualTo(FloatBuffer.wrap(floats));
        assertThat(copy.ints()).isEqualTo(IntBuffer.wrap(ints));
        assertThat(copy.raw()).isEqualTo(ByteBuffer.wrap(raw));

        try (SharedPayload payload = template.open(token)) {
            Shapes.Buffers views = payload.value(Shapes.Buffers.class);
            assertThat(views.floats().isDirect()).isTrue();
            assertThat(views.floats().isReadOnly()).isTrue();
            assertThat(views.raw().isDirect()).isTrue();
            assertThat(views.floats()).isEqualTo(FloatBuffer.wrap(floats));
            assertThat(views.ints()).isEqualTo(IntBuffer.wrap(ints));
            assertThat(views.raw()).isEqualTo(ByteBuffer.wrap(raw));
        }
        template.release(token);
    }

    @Test
    void smallArraysStayInlineInTheJson() {
        JsonCodec codec = new JsonCodec();
        EncodedPayload small = codec.encode(new Embeddings("m", List.of("a"), new float[] {1f, 2f, 3f}));
        assertThat(small.buffers()).isEmpty();
        assertThat(new String(small.metadata(), StandardCharsets.UTF_8))
                .isEqualTo(Embeddings.class.getName() + "\n{\"model\":\"m\",\"ids\":[\"a\"],\"vectors\":[1.0,2.0,3.0]}");

        EncodedPayload large = codec.encode(new Embeddings("m", List.of("a"), new float[1024]));
        assertThat(large.buffers()).hasSize(1);
        assertThat(new String(large.metadata(), StandardCharsets.UTF_8)).endsWith("\"vectors\":{\"$fshr.buffer\":0}}");
        // The codec's mapper outside fastshare writes ordinary JSON.
        assertThat(codec.mapper().writeValueAsString(new Embeddings("m", List.of(), new float[2048])))
                .doesNotContain("$fshr");
    }

    @Test
    void honoursTheApplicationMapper() {
        JsonMapper snake = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        JsonCodec codec = new JsonCodec(snake, 4096, TypeAllowList.builtInOnly());
        record Named(String modelName, int[] tokenIds) {
        }
        EncodedPayload encoded = codec.encode(new Named("x", new int[] {1}));
        assertThat(new String(encoded.metadata(), StandardCharsets.UTF_8)).contains("\"model_name\":\"x\"",
                "\"token_ids\":[1]");
        assertThat(snake.registeredModules()).noneMatch(m -> m instanceof OutOfBandModule);

        SharedMemoryTemplate template = template(SharedMemoryTemplate.builder().jsonMapper(snake));
        Embeddings written = Embeddings.make(1 << 20, 32, 3);
        assertSame(template.read(template.write(written, WriteOptions.defaults().inline()), Embeddings.class), written);
    }

    @Test
    void untypedReadsNeedTheAllowList() {
        SharedMemoryTemplate strict = template(SharedMemoryTemplate.builder());
        Embeddings written = Embeddings.make(64 << 10, 16, 4);
        String token = strict.write(written, WriteOptions.defaults().inline());
        assertThatThrownBy(() -> strict.read(token))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining(Embeddings.class.getName())
                .hasMessageContaining("allowedTypes");

        SharedMemoryTemplate open = template(SharedMemoryTemplate.builder().allowedTypes("io.fastshare.codec.json.*"));
        assertSame((Embeddings) open.read(token), written);

        Map<String, Object> map = new LinkedHashMap<>();
        map.put("columns", doubles(2_000, 12));
        map.put("names", List.of("a", "b"));
        Object untyped = strict.read(strict.write(map, WriteOptions.defaults().inline()));
        assertThat(untyped).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) untyped).get("columns")).isEqualTo(map.get("columns"));
        assertThat(((Map<?, ?>) untyped).get("names")).isEqualTo(List.of("a", "b"));
        // JDK-private collection classes read back as the standard implementation of their interface.
        assertThat(strict.read(strict.write(List.of("x", "y")))).isEqualTo(List.of("x", "y"));
        assertThat(strict.read(strict.write(java.util.Set.of(3)))).isEqualTo(java.util.Set.of(3));
    }

    @Test
    void untypedReadRefusesNestedClassesOutsideTheAllowList() {
        SharedMemoryTemplate template = template(SharedMemoryTemplate.builder()
                .allowedTypes("io.fastshare.codec.json.Shapes$Outer"));
        String token = template.write(new Shapes.Outer("x", new Shapes.Inner(7)), WriteOptions.defaults().inline());
        assertThatThrownBy(() -> template.read(token))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("io.fastshare.codec.json.Shapes$Inner")
                .hasMessageContaining("allowedTypes");
        // A typed read trusts the type the caller names.
        assertThat(template.read(token, Shapes.Outer.class).inner().value()).isEqualTo(7);

        SharedMemoryTemplate wider = template(SharedMemoryTemplate.builder()
                .allowedTypes("io.fastshare.codec.json.Shapes$Outer", "io.fastshare.codec.json.Shapes$Inner"));
        assertThat(wider.read(token)).isEqualTo(new Shapes.Outer("x", new Shapes.Inner(7)));
    }

    @Test
    void wrongTypeIsACodecException() {
        SharedMemoryTemplate template = template(SharedMemoryTemplate.builder());
        String token = template.write(new Shapes.Inner(3), WriteOptions.defaults().inline());
        assertThatThrownBy(() -> template.read(token, new TypeReference<List<String>>() { }))
                .isInstanceOf(CodecException.class);
    }

    @Test
    void forgedReferencesAreCodecExceptions() {
        Map<String, String> forged = new LinkedHashMap<>();
        forged.put("out of range", "{\"model\":\"m\",\"ids\":[],\"vectors\":{\"$fshr.buffer\":7}}");
        forged.put("negative", "{\"model\":\"m\",\"ids\":[],\"vectors\":{\"$fshr.buffer\":-1}}");
        forged.put("wrong element type", "{\"model\":\"m\",\"ids\":[],\"vectors\":{\"$fshr.buffer\":0}}");
        forged.put("extra property", "{\"model\":\"m\",\"ids\":[],\"vectors\":{\"$fshr.buffer\":0,\"x\":1}}");
        forged.put("not json", "{\"model\":");
        SharedMemoryTemplate reader = template(SharedMemoryTemplate.builder());
        forged.forEach((what, json) -> {
            SharedMemoryTemplate writer = template(SharedMemoryTemplate.builder().codec(new ForgingCodec(json)));
            String token = writer.write(new Shapes.Inner(1), WriteOptions.defaults().inline());
            assertThatThrownBy(() -> reader.read(token, Embeddings.class)).as(what).isInstanceOf(CodecException.class);
        });
    }

    /** Writes fixed JSON metadata with one INT64 buffer under the JSON codec's id, like a corrupt or hostile writer. */
    private static final class ForgingCodec implements io.fastshare.codec.PayloadCodec {
        private final String json;

        ForgingCodec(String json) {
            this.json = json;
        }

        @Override
        public String id() {
            return JsonCodec.ID;
        }

        @Override
        public boolean canEncode(Object value) {
            return true;
        }

        @Override
        public EncodedPayload encode(Object value) {
            long[] longs = new long[4];
            return new EncodedPayload((Embeddings.class.getName() + "\n" + json).getBytes(StandardCharsets.UTF_8),
                    List.of(new io.fastshare.codec.PayloadBuffer(io.fastshare.format.BufferSpec.vector(ElementType.INT64, 4),
                            io.fastshare.codec.ArraySources.of(longs))));
        }

        @Override
        public Object decode(io.fastshare.codec.PayloadReader payload, java.lang.reflect.Type targetType) {
            throw new UnsupportedOperationException();
        }
    }

    static void assertSame(Embeddings actual, Embeddings expected) {
        assertThat(actual.model()).isEqualTo(expected.model());
        assertThat(actual.ids()).isEqualTo(expected.ids());
        assertThat(actual.vectors()).isEqualTo(expected.vectors());
    }

    static float[] floats(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextDouble();
        }
        return a;
    }

    static double[] doubles(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextDouble();
        }
        return a;
    }

    static int[] ints(int n, long seed) {
        return new SplittableRandom(seed).ints(n).toArray();
    }

    static long[] longs(int n, long seed) {
        return new SplittableRandom(seed).longs(n).toArray();
    }

    static byte[] bytes(int n, long seed) {
        byte[] a = new byte[n];
        new java.util.Random(seed).nextBytes(a);
        return a;
    }
}
