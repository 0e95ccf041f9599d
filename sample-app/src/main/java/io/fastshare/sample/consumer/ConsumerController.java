package io.fastshare.sample.consumer;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.sample.api.HandoffPath;
import io.fastshare.sample.api.HandoffReceipt;
import io.fastshare.sample.api.OctetHeaders;
import io.fastshare.sample.api.TokenHandoff;
import io.fastshare.sample.payload.Checksum;
import io.fastshare.sample.payload.Embeddings;
import io.fastshare.sample.payload.EmbeddingsMeta;
import io.fastshare.sample.payload.FloatStreams;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;

/**
 * The consumer service: receives the same embeddings batch by each {@link HandoffPath}, verifies its
 * checksum and answers with its timings. Blocks received by token are released before the answer,
 * so nothing stays in shared memory. Thread-safe (stateless; the template is thread-safe).
 */
@RestController
@Profile("consumer")
@RequestMapping("/handoff")
class ConsumerController {

    private final SharedMemoryTemplate template;

    ConsumerController(SharedMemoryTemplate template) {
        this.template = template;
    }

    /**
     * Claims the payload named by the token: {@code take} copies it to the heap and deletes the block.
     *
     * @param handoff token and metadata
     * @param request for the arrival time
     * @return the receipt
     */
    @PostMapping(path = "/token", consumes = MediaType.APPLICATION_JSON_VALUE)
    HandoffReceipt token(@RequestBody TokenHandoff handoff, HttpServletRequest request) {
        float[] vectors = template.take(handoff.token(), float[].class);
        return verify(HandoffPath.TOKEN_TAKE, vectors, handoff.meta(), ArrivalTimeFilter.arrivedAt(request));
    }

    /**
     * Reads the payload in place through a zero-copy view of the shared memory, then releases the block.
     *
     * @param handoff token and metadata
     * @param request for the arrival time
     * @return the receipt
     */
    @PostMapping(path = "/token/view", consumes = MediaType.APPLICATION_JSON_VALUE)
    HandoffReceipt tokenView(@RequestBody TokenHandoff handoff, HttpServletRequest request) {
        long arrived = ArrivalTimeFilter.arrivedAt(request);
        long checksum;
        long floats;
        long verifyNanos;
        SharedPayload payload = template.open(handoff.token());
        try (payload) {
            FloatBuffer vectors = payload.view(0).asFloatBuffer();
            long start = System.nanoTime();
            checksum = Checksum.of(vectors);
            verifyNanos = System.nanoTime() - start;
            floats = vectors.remaining();
        } finally {
            template.release(handoff.token());
        }
        long total = System.nanoTime() - arrived;
        return new HandoffReceipt(HandoffPath.TOKEN_VIEW, 4 * floats, total - verifyNanos, verifyNanos,
                checksum == handoff.meta().checksum());
    }

    /**
     * Receives the floats as a raw little-endian body, streamed straight into a {@code float[]}.
     *
     * @param body the request body
     * @param model embedding model
     * @param dimensions floats per vector
     * @param count vectors
     * @param checksum producer's checksum
     * @param request for the arrival time
     * @return the receipt
     * @throws IOException when the body is shorter or longer than the headers say
     */
    @PostMapping(path = "/octet", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    HandoffReceipt octet(InputStream body, @RequestHeader(OctetHeaders.MODEL) String model,
            @RequestHeader(OctetHeaders.DIMENSIONS) int dimensions, @RequestHeader(OctetHeaders.COUNT) int count,
            @RequestHeader(OctetHeaders.CHECKSUM) long checksum, HttpServletRequest request) throws IOException {
        EmbeddingsMeta meta = new EmbeddingsMeta(model, dimensions, count, checksum);
        if (dimensions <= 0 || count <= 0 || meta.floats() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("bad shape " + count + " x " + dimensions);
        }
        // The headers decide the allocation: refuse what cannot fit rather than die of OutOfMemoryError.
        long bytes = 4 * meta.floats();
        if (bytes > Runtime.getRuntime().maxMemory() / 2) {
            throw new IllegalArgumentException("a " + bytes + "-byte payload is over half of this JVM's heap ("
                    + Runtime.getRuntime().maxMemory() + " bytes); raise -Xmx");
        }
        float[] vectors = FloatStreams.read(body, (int) meta.floats());
        return verify(HandoffPath.OCTET_STREAM, vectors, meta, ArrivalTimeFilter.arrivedAt(request));
    }

    /**
     * Receives the whole batch as JSON, decoded by Spring's Jackson message converter.
     *
     * @param embeddings the batch
     * @param request for the arrival time
     * @return the receipt
     */
    @PostMapping(path = "/json", consumes = MediaType.APPLICATION_JSON_VALUE)
    HandoffReceipt json(@RequestBody Embeddings embeddings, HttpServletRequest request) {
        return verify(HandoffPath.JSON, embeddings.vectors(), embeddings.meta(), ArrivalTimeFilter.arrivedAt(request));
    }

    private static HandoffReceipt verify(HandoffPath path, float[] vectors, EmbeddingsMeta meta, long arrived) {
        long start = System.nanoTime();
        boolean ok = vectors.length == meta.floats() && Checksum.of(vectors) == meta.checksum();
        long verifyNanos = System.nanoTime() - start;
        return new HandoffReceipt(path, 4L * vectors.length, start - arrived, verifyNanos, ok);
    }
}
