package io.fastshare.sample.consumer;

import io.fastshare.SharedPayload;
import io.fastshare.messaging.http.FastShareMediaTypes;
import io.fastshare.sample.api.HandoffPath;
import io.fastshare.sample.api.HandoffReceipt;
import io.fastshare.sample.api.OctetHeaders;
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
 * checksum and answers with its timings. Blocks received by token are released by the starter's
 * converter when the request is done, so nothing stays in shared memory. Thread-safe (stateless).
 */
@RestController
@Profile("consumer")
@RequestMapping("/handoff")
class ConsumerController {

    /**
     * Receives the batch as a fastshare token body: the starter's converter resolves it into a heap copy
     * before this method runs, and releases the block when the request is done.
     *
     * @param vectors the payload, from shared memory
     * @param model embedding model
     * @param dimensions floats per vector
     * @param count vectors
     * @param checksum producer's checksum
     * @param request for the arrival time
     * @return the receipt
     */
    @PostMapping(path = "/token", consumes = FastShareMediaTypes.FASTSHARE_TOKEN_VALUE)
    HandoffReceipt token(@RequestBody float[] vectors, @RequestHeader(OctetHeaders.MODEL) String model,
            @RequestHeader(OctetHeaders.DIMENSIONS) int dimensions, @RequestHeader(OctetHeaders.COUNT) int count,
            @RequestHeader(OctetHeaders.CHECKSUM) long checksum, HttpServletRequest request) {
        return verify(HandoffPath.TOKEN_TAKE, vectors, new EmbeddingsMeta(model, dimensions, count, checksum),
                ArrivalTimeFilter.arrivedAt(request));
    }

    /**
     * Reads the batch in place: a {@code SharedPayload} parameter is a zero-copy view of the producer's
     * shared memory, valid until the request is done (the converter then closes it and releases the block).
     *
     * @param payload the zero-copy handle
     * @param checksum producer's checksum
     * @param request for the arrival time
     * @return the receipt
     */
    @PostMapping(path = "/token/view", consumes = FastShareMediaTypes.FASTSHARE_TOKEN_VALUE)
    HandoffReceipt tokenView(@RequestBody SharedPayload payload, @RequestHeader(OctetHeaders.CHECKSUM) long checksum,
            HttpServletRequest request) {
        long arrived = ArrivalTimeFilter.arrivedAt(request);
        FloatBuffer vectors = payload.view(0).asFloatBuffer();
        long start = System.nanoTime();
        long actual = Checksum.of(vectors);
        long verifyNanos = System.nanoTime() - start;
        return new HandoffReceipt(HandoffPath.TOKEN_VIEW, 4L * vectors.remaining(), start - arrived, verifyNanos,
                actual == checksum);
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
