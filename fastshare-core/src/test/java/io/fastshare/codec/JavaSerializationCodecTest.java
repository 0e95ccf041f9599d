package io.fastshare.codec;

import io.fastshare.CodecException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import io.fastshare.codec.serial.Account;
import io.fastshare.codec.serial.Gadget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The opt-in Java serialisation codec and its ObjectInputFilter allow-list. */
class JavaSerializationCodecTest {

    @TempDir
    Path tempDir;

    private Path dir;
    private final List<SharedMemoryTemplate> templates = new ArrayList<>();

    private SharedMemoryTemplate template(SharedMemoryTemplate.Builder builder) {
        if (dir == null) {
            dir = TestDirs.blockDir(tempDir);
        }
        SharedMemoryTemplate template = builder.directory(dir).build();
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
    void roundTripsAllowedClassesInlineAndShared() {
        SharedMemoryTemplate template = template(SharedMemoryTemplate.builder().javaSerialization(true)
                .allowedTypes("io.fastshare.codec.serial.Account", "java.util.ImmutableCollections*",
                        "java.util.CollSer"));
        Account account = new Account("ada", List.of(1L, 2L, 3L), null);
        for (WriteOptions options : List.of(WriteOptions.defaults().inline(), WriteOptions.defaults().shared())) {
            String token = template.write(account, options);
            try (SharedPayload payload = template.open(token)) {
                assertThat(payload.codecId()).isEqualTo("java");
            }
            assertThat(template.read(token, Account.class).describe()).isEqualTo("ada[1, 2, 3]");
            assertThat(((Account) template.read(token)).describe()).isEqualTo("ada[1, 2, 3]");
            template.release(token);
        }
    }

    @Test
    void refusesADisallowedClassInTheStream() {
        SharedMemoryTemplate template = template(SharedMemoryTemplate.builder().javaSerialization(true)
                .allowedTypes("io.fastshare.codec.serial.Account", "java.util.ImmutableCollections*",
                        "java.util.CollSer"));
        Gadget.deserialised = false;
        String token = template.write(new Account("eve", List.of(), new Gadget()), WriteOptions.defaults().inline());
        assertThatThrownBy(() -> template.read(token, Account.class))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("io.fastshare.codec.serial.Gadget")
                .hasMessageContaining("allowedTypes");
        assertThat(Gadget.deserialised).isFalse();
    }

    @Test
    void refusesTheRootClassWhenNotAllowed() {
        SharedMemoryTemplate writer = template(SharedMemoryTemplate.builder().javaSerialization(true)
                .allowedTypes("io.fastshare.codec.serial.**", "java.util.**"));
        SharedMemoryTemplate reader = template(SharedMemoryTemplate.builder().javaSerialization(true));
        String token = writer.write(new Account("x", List.of(), null), WriteOptions.defaults().inline());
        assertThatThrownBy(() -> reader.read(token))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("io.fastshare.codec.serial.Account");
    }

    @Test
    void offByDefault() {
        SharedMemoryTemplate enabled = template(SharedMemoryTemplate.builder().javaSerialization(true));
        SharedMemoryTemplate standard = template(SharedMemoryTemplate.builder());
        String token = enabled.write(new Account("x", List.of(), null), WriteOptions.defaults().inline());
        assertThatThrownBy(() -> standard.read(token, Account.class))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("'java'");
        // Without Java serialisation a Serializable class with no properties is not silently serialised.
        assertThatThrownBy(() -> standard.write(new Account("x", List.of(), null)))
                .isInstanceOf(CodecException.class);
    }

    @Test
    void recordsAndCollectionsStillGoThroughJson() {
        SharedMemoryTemplate template = template(SharedMemoryTemplate.builder().javaSerialization(true));
        String token = template.write(new ArrayList<>(List.of("a", "b")), WriteOptions.defaults().inline());
        try (SharedPayload payload = template.open(token)) {
            assertThat(payload.codecId()).isEqualTo("json");
        }
    }

    @Test
    void allowListPatterns() {
        TypeAllowList list = TypeAllowList.of(List.of("com.example.*", "org.acme.**", "net.x.Foo", "net.y.Bar*"));
        assertThat(list.isAllowed("com.example.A")).isTrue();
        assertThat(list.isAllowed("com.example.A$B")).isTrue();
        assertThat(list.isAllowed("com.example.sub.A")).isFalse();
        assertThat(list.isAllowed("org.acme.deep.er.A")).isTrue();
        assertThat(list.isAllowed("org.acmex.A")).isFalse();
        assertThat(list.isAllowed("net.x.Foo")).isTrue();
        assertThat(list.isAllowed("net.x.Food")).isFalse();
        assertThat(list.isAllowed("net.y.BarBaz")).isTrue();
        assertThat(list.isAllowed("[Lcom.example.A;")).isTrue();
        assertThat(list.isAllowed("[[I")).isTrue();
        assertThat(list.isAllowed(int[].class)).isTrue();
        assertThat(list.isAllowed("java.lang.String")).isTrue();
        assertThat(list.isAllowed("java.lang.Runtime")).isFalse();
        assertThatThrownBy(() -> TypeAllowList.of(List.of("com.*.Foo"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TypeAllowList.of(List.of(" "))).isInstanceOf(IllegalArgumentException.class);
    }
}
