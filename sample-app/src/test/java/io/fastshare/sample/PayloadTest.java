package io.fastshare.sample;

import io.fastshare.sample.payload.Checksum;
import io.fastshare.sample.payload.Embeddings;
import io.fastshare.sample.payload.EmbeddingsFactory;
import io.fastshare.sample.payload.FloatStreams;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The payload helpers both services rely on: checksum, streaming, generation. */
class PayloadTest {

    @Test
    void checksumOfAViewEqualsChecksumOfTheArrayAndSeesEveryElement() {
        float[] values = EmbeddingsFactory.ofSize(1 << 20, 1).vectors();
        ByteBuffer bytes = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);

        assertThat(Checksum.of(bytes.asFloatBuffer())).isEqualTo(Checksum.of(values));
        float[] changed = values.clone();
        changed[changed.length - 1] = Math.nextUp(changed[changed.length - 1]);
        assertThat(Checksum.of(changed)).isNotEqualTo(Checksum.of(values));
        assertThat(Checksum.of(Arrays.copyOf(values, values.length - 1))).isNotEqualTo(Checksum.of(values));
        assertThat(Checksum.of(new float[2])).isNotEqualTo(Checksum.of(new float[3]));
    }

    @Test
    void floatsSurviveTheStreamAcrossChunkBoundaries() throws IOException {
        // 256 Ki floats per chunk: one full chunk plus a partial one, and a tiny payload.
        for (int count : new int[] {1, 256 * 1024, 256 * 1024 + 7}) {
            float[] values = new float[count];
            for (int i = 0; i < count; i++) {
                values[i] = i * 0.5f - 3;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            FloatStreams.write(values, out);

            assertThat(out.size()).isEqualTo(4 * count);
            assertThat(ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN).getFloat(4 * (count - 1)))
                    .isEqualTo(values[count - 1]);
            assertThat(FloatStreams.read(new ByteArrayInputStream(out.toByteArray()), count)).isEqualTo(values);
        }
    }

    @Test
    void aBodyOfTheWrongLengthIsRejected() {
        byte[] eightFloats = new byte[32];
        assertThatThrownBy(() -> FloatStreams.read(new ByteArrayInputStream(eightFloats), 9))
                .isInstanceOf(IOException.class).hasMessageContaining("ended after 32 bytes");
        assertThatThrownBy(() -> FloatStreams.read(new ByteArrayInputStream(eightFloats), 7))
                .isInstanceOf(IOException.class).hasMessageContaining("more than the expected 28 bytes");
    }

    @Test
    void generatedBatchesHaveWholeVectorsAndAreReproducible() {
        Embeddings batch = EmbeddingsFactory.ofSize(10_000, 3);

        assertThat(batch.meta().dimensions()).isEqualTo(EmbeddingsFactory.DIMENSIONS);
        assertThat(batch.meta().count()).isEqualTo(10_000 / (4 * EmbeddingsFactory.DIMENSIONS));
        assertThat(batch.byteSize()).isEqualTo(4L * batch.meta().count() * batch.meta().dimensions());
        assertThat(batch.meta().checksum()).isEqualTo(Checksum.of(batch.vectors()));
        assertThat(EmbeddingsFactory.ofSize(10_000, 3).vectors()).isEqualTo(batch.vectors());
        assertThat(EmbeddingsFactory.ofSize(1, 3).meta().count()).isEqualTo(1);
        assertThatThrownBy(() -> EmbeddingsFactory.ofSize(0, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
