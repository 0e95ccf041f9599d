package io.fastshare.codec;

import io.fastshare.CodecException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import io.fastshare.codec.serial.Account;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 12, item 9: the Java serialisation codec reads allowed collections (whose internals are checked
 * with them) and refuses the classic deserialisation bombs built from allowed classes with a
 * {@link CodecException}, well before they hang the reader or overflow its stack. The timeouts only stop
 * a regression from hanging the build.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JavaSerializationBombTest {

    private static final String[] ALLOWED = {"io.fastshare.codec.serial.Account", "java.util.ImmutableCollections*",
        "java.util.CollSer"};

    @TempDir
    Path tempDir;

    private Path dir;
    private final List<SharedMemoryTemplate> templates = new ArrayList<>();

    private SharedMemoryTemplate template() {
        return template(SharedMemoryTemplate.builder());
    }

    private SharedMemoryTemplate template(SharedMemoryTemplate.Builder builder) {
        if (dir == null) {
            dir = TestDirs.blockDir(tempDir);
        }
        SharedMemoryTemplate template = builder.javaSerialization(true).allowedTypes(ALLOWED).directory(dir).build();
        templates.add(template);
        return template;
    }

    @AfterEach
    void tearDown() {
        templates.forEach(SharedMemoryTemplate::close);
        if (dir != null) {
            TestDirs.assertNoBlocks(dir);
        }
    }

    @Test
    void readsAllowedCollectionsInAField() {
        SharedMemoryTemplate template = template();
        HashMap<String, Integer> map = new HashMap<>();
        map.put("k", 1);
        HashSet<String> set = new HashSet<>(Set.of("s"));
        for (Serializable extra : List.<Serializable>of(map, set, new LinkedHashMap<>(map), new TreeMap<>(map))) {
            for (WriteOptions options : List.of(WriteOptions.defaults().inline(), WriteOptions.defaults().shared())) {
                String token = template.write(new Account("ada", List.of(1L), extra), options);
                assertThat(template.read(token, Account.class).describe()).isEqualTo("ada[1]+" + extra);
                template.release(token);
            }
        }
    }

    @Test
    void refusesTheNestedHashSetBomb() {
        SharedMemoryTemplate template = template();
        String token = template.write(new Account("bomb", List.of(), hashSetBomb(100)), WriteOptions.defaults().inline());
        assertThatThrownBy(() -> template.read(token, Account.class))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("maxdepth=20");
    }

    @Test
    void refusesDeeplyNestedArraysWithoutStackOverflow() {
        SharedMemoryTemplate template = template();
        Object[] nested = new Object[1];
        Object[] inner = nested;
        for (int i = 0; i < 990; i++) {
            Object[] next = new Object[1];
            inner[0] = next;
            inner = next;
        }
        String token = template.write(new Account("deep", List.of(), nested), WriteOptions.defaults().shared());
        assertThatThrownBy(() -> template.read(token, Account.class))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("maxdepth");
        template.release(token);
    }

    @Test
    void refusesAnArrayLongerThanTheLimit() {
        SharedMemoryTemplate template = template(SharedMemoryTemplate.builder()
                .javaSerializationLimits(SerializationLimits.parse("maxarray=1000")));
        String token = template.write(new Account("big", List.of(), new long[5000]), WriteOptions.defaults().inline());
        assertThatThrownBy(() -> template.read(token, Account.class))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("maxarray=1000");
    }

    @Test
    void refusesAnArrayThatClaimsMoreElementsThanTheStreamHolds() throws IOException {
        byte[] stream = serialise(new Account("liar", List.of(), new int[] {0x1234_5678}));
        // Patch the int[]'s length (4 bytes just before its one element) to Integer.MAX_VALUE.
        ByteBuffer bytes = ByteBuffer.wrap(stream);
        int element = -1;
        for (int i = 0; i + 4 <= stream.length; i++) {
            if (bytes.getInt(i) == 0x1234_5678) {
                element = i;
            }
        }
        assertThat(bytes.getInt(element - 4)).isEqualTo(1);
        bytes.putInt(element - 4, Integer.MAX_VALUE);
        JavaSerializationCodec codec = new JavaSerializationCodec(TypeAllowList.of(List.of(ALLOWED)));
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(stream), stream.length, "liar"))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("2147483647");
    }

    @Test
    void refusesTooManyReferences() throws IOException {
        List<Long> many = new ArrayList<>();
        for (long i = 0; i < 5000; i++) {
            many.add(i * 1_000_003);
        }
        byte[] stream = serialise(new Account("refs", new ArrayList<>(many), null));
        JavaSerializationCodec codec = new JavaSerializationCodec(TypeAllowList.of(List.of(ALLOWED)),
                SerializationLimits.parse("maxrefs=1000"));
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(stream), stream.length, "refs"))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("maxrefs=1000");
        assertThat(new JavaSerializationCodec(TypeAllowList.of(List.of(ALLOWED)))
                .read(new ByteArrayInputStream(stream), stream.length, "refs")).isInstanceOf(Account.class);
    }

    @Test
    void limitsParseTheJdkFilterSyntax() {
        assertThat(SerializationLimits.parse("maxdepth=40; maxrefs=7;maxarray=8;maxbytes=9"))
                .isEqualTo(new SerializationLimits(40, 7, 8, 9));
        assertThat(SerializationLimits.parse("")).isEqualTo(SerializationLimits.defaults());
        assertThatThrownBy(() -> SerializationLimits.parse("maxdepth=0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SerializationLimits.parse("depth=3")).isInstanceOf(IllegalArgumentException.class);
    }

    /** The SerialDOS bomb: 2^depth hash code steps to rebuild the outer set. */
    private static HashSet<Object> hashSetBomb(int depth) {
        HashSet<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < depth; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("foo");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return root;
    }

    private static byte[] serialise(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }
}
