package io.fastshare;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Round trip of every raw type at sizes from empty to 256 MiB, inline and shared, in one process. */
class RoundTripTest {

    @TempDir
    Path dir;

    SharedMemoryTemplate template;

    @BeforeEach
    void setUp() {
        template = SharedMemoryTemplate.builder().directory(TestDirs.blockDir(dir)).build();
    }

    @AfterEach
    void tearDown() throws Exception {
        template.close();
        TestDirs.assertNoBlocks(template.directory());
    }

    static Stream<Object[]> payloads() {
        List<Object[]> cases = new ArrayList<>();
        for (int bytes : new int[] {0, 1, 1000, 999_999, 1_000_000, 3_000_001, 256 << 20}) {
            for (String kind : Payloads.KINDS) {
                if (bytes == 256 << 20 && !(kind.equals("float[]") || kind.equals("byte[]"))) {
                    continue;
                }
                cases.add(new Object[] {kind, bytes});
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} of {1} bytes")
    @MethodSource("payloads")
    void roundTripsExactly(String kind, int bytes) {
        Object payload = Payloads.make(kind, bytes, 42);
        String token = template.write(payload);
        boolean inline = token.startsWith("FSHR:inl:");
        assertThat(inline).isEqualTo(bytes < 900_000);

        Object copy = template.read(token, Payloads.type(kind));
        Payloads.assertSame(kind, payload, copy);
        Payloads.assertSame(kind, payload, template.read(token));
        try (SharedPayload opened = template.open(token)) {
            assertThat(opened.isInline()).isEqualTo(inline);
            Payloads.assertSame(kind, payload, opened.value(Payloads.type(kind)));
        }
        assertThat(template.release(token)).isEqualTo(!inline);
        assertThat(template.release(token)).isFalse();
    }

    @ParameterizedTest(name = "forced inline {0}")
    @MethodSource("smallKinds")
    void forcedPlacementsRoundTrip(String kind) {
        Object payload = Payloads.make(kind, 5000, 7);
        String inline = template.write(payload, WriteOptions.defaults().inline());
        String shared = template.write(payload, WriteOptions.defaults().shared().checksum(true));
        assertThat(inline).startsWith("FSHR:inl:");
        assertThat(shared).as("the default pool takes it").startsWith("FSHR:pool:FSHP_");
        assertThat(TestDirs.isPublished(template.directory(), shared)).isTrue();
        Payloads.assertSame(kind, payload, template.read(inline, Payloads.type(kind)));
        Payloads.assertSame(kind, payload, template.take(shared, Payloads.type(kind)));
        assertThat(TestDirs.isPublished(template.directory(), shared)).isFalse();
        assertThat(TestDirs.pooledBlocks(template.directory())).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aPerWriteThresholdReplacesTheTemplatesForAutomaticPlacement() {
        byte[] payload = new byte[5_000];
        assertThat(template.write(payload)).as("below the template's 8 KiB threshold").startsWith("FSHR:inl:");

        String shared = template.write(payload, WriteOptions.defaults().threshold(1_000));
        String inline = template.write(new byte[40_000], WriteOptions.defaults().threshold(100_000));

        assertThat(shared).startsWith("FSHR:pool:");
        assertThat(inline).startsWith("FSHR:inl:");
        assertThat(template.take(shared, byte[].class)).isEqualTo(payload);
        assertThatThrownBy(() -> WriteOptions.defaults().threshold(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<String> smallKinds() {
        return Payloads.KINDS.stream();
    }

    @org.junit.jupiter.api.Test
    void directByteBufferRoundTripsAndViewIsReadOnly() {
        ByteBuffer direct = ByteBuffer.allocateDirect(2_000_000);
        for (int i = 0; i < direct.capacity(); i++) {
            direct.put(i, (byte) (i * 31));
        }
        String token = template.write(direct);
        assertThat(direct.position()).isZero();
        assertThat(template.read(token, ByteBuffer.class)).isEqualTo(direct);
        try (SharedPayload payload = template.open(token)) {
            ByteBuffer view = payload.value(ByteBuffer.class);
            assertThat(view.isReadOnly()).isTrue();
            assertThat(view).isEqualTo(direct);
        }
    }
}
