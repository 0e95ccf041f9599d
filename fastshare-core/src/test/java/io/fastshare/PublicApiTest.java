package io.fastshare;

import io.fastshare.codec.ArraySources;
import io.fastshare.codec.EncodedPayload;
import io.fastshare.codec.PayloadBuffer;
import io.fastshare.codec.PayloadCodec;
import io.fastshare.codec.PayloadReader;
import io.fastshare.format.BufferSpec;
import io.fastshare.format.ElementType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.type.TypeReference;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Public methods of the template that no other test reaches. */
class PublicApiTest {

    @TempDir
    Path temp;

    /** A record for generic reads. */
    record Point(int x, int y) {
    }

    @Test
    void readWithAReflectionTypeRebuildsAGenericPayload() {
        try (SharedMemoryTemplate template = template()) {
            List<Point> points = List.of(new Point(1, 2), new Point(3, 4));
            String token = template.write(points);
            Type type = new TypeReference<List<Point>>() { }.getType();

            Object read = template.read(token, type);

            assertThat(read).isInstanceOf(List.class);
            assertThat(read).isEqualTo(points);
            assertThat(((List<?>) read).get(0)).isInstanceOf(Point.class);
            assertThat(template.take(token, type)).isEqualTo(read);
        }
    }

    @Test
    void aFallbackCodecIsAskedAfterTheRawCodecAndBeforeJson() {
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(TestDirs.blockDir(temp))
                .threshold(0).fallbackCodec(new BlobOrBytesCodec()).build()) {
            String blob = template.write(new Blob("label", new byte[] {1, 2, 3}));
            String bytes = template.write(new byte[] {4, 5, 6});
            try (SharedPayload opened = template.open(blob)) {
                assertThat(opened.codecId()).as("a record JSON could encode goes to the fallback codec first")
                        .isEqualTo(BlobOrBytesCodec.ID);
            }
            try (SharedPayload opened = template.open(bytes)) {
                assertThat(opened.codecId()).as("the raw codec is asked before the fallback codec").isEqualTo("raw");
            }
            Blob read = template.take(blob, Blob.class);
            assertThat(read.label()).isEqualTo("label");
            assertThat(read.data()).containsExactly(1, 2, 3);
            assertThat(template.take(bytes, byte[].class)).containsExactly(4, 5, 6);
        }
    }

    @Test
    void usableSpaceIsTheBlockFilesystemsFreeSpace() throws IOException {
        try (SharedMemoryTemplate template = template()) {
            long expected = Files.getFileStore(template.directory()).getUsableSpace();
            long total = Files.getFileStore(template.directory()).getTotalSpace();
            long reported = template.usableSpace();
            assertThat(reported).isPositive().isLessThanOrEqualTo(total);
            // Other processes use the same filesystem meanwhile: the two readings are close, not equal.
            assertThat((double) Math.abs(reported - expected)).isLessThanOrEqualTo(total * 0.05);
        }
    }

    @Test
    void everyMethodRefusesWorkAfterClose() {
        SharedMemoryTemplate template = template();
        String token = template.write(new byte[] {1});
        template.close();
        template.close();
        assertThatThrownBy(() -> template.write(new byte[1])).isInstanceOf(TemplateClosedException.class);
        assertThatThrownBy(() -> template.read(token)).isInstanceOf(TemplateClosedException.class);
        assertThatThrownBy(() -> template.read(token, byte[].class)).isInstanceOf(TemplateClosedException.class);
        assertThatThrownBy(() -> template.read(token, (Type) byte[].class)).isInstanceOf(TemplateClosedException.class);
        assertThatThrownBy(() -> template.take(token, byte[].class)).isInstanceOf(TemplateClosedException.class);
        assertThatThrownBy(() -> template.open(token)).isInstanceOf(TemplateClosedException.class);
        assertThatThrownBy(() -> template.release(token)).isInstanceOf(TemplateClosedException.class);
        assertThatThrownBy(() -> template.share(new byte[1])).isInstanceOf(TemplateClosedException.class);
        assertThatThrownBy(() -> template.load(token, byte[].class)).isInstanceOf(TemplateClosedException.class);
    }

    private SharedMemoryTemplate template() {
        return SharedMemoryTemplate.builder().directory(TestDirs.blockDir(temp)).threshold(0).build();
    }

    /** A catch-all style codec for {@link Blob}s and byte arrays, registered as a fallback codec. */
    static final class BlobOrBytesCodec implements PayloadCodec {

        static final String ID = "blob-or-bytes";

        @Override
        public String id() {
            return ID;
        }

        @Override
        public boolean canEncode(Object value) {
            return value instanceof Blob || value instanceof byte[];
        }

        @Override
        public EncodedPayload encode(Object value) {
            Blob blob = value instanceof Blob b ? b : new Blob("", (byte[]) value);
            return new EncodedPayload(blob.label().getBytes(StandardCharsets.UTF_8),
                    List.of(new PayloadBuffer(BufferSpec.vector(ElementType.BYTES, blob.data().length),
                            ArraySources.of(blob.data()))));
        }

        @Override
        public Object decode(PayloadReader payload, Type targetType) {
            return new Blob(new String(payload.metadata(), StandardCharsets.UTF_8), payload.readBytes(0));
        }
    }
}
