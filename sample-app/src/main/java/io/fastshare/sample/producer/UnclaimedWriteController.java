package io.fastshare.sample.producer;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.WriteOptions;
import io.fastshare.sample.api.OctetHeaders;
import io.fastshare.sample.payload.Embeddings;
import io.fastshare.sample.payload.EmbeddingsFactory;
import io.fastshare.sample.payload.EmbeddingsMeta;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /demo/write}: writes a batch to shared memory and returns the handoff without sending
 * it, so that a person with curl can watch a block in the actuator listing, hand it to the consumer
 * by hand, or let it expire:
 *
 * <pre>
 * curl -s -D headers.txt -X POST 'http://127.0.0.1:8080/demo/write?size=8MB&amp;ttl=30s' &gt; token.txt
 * curl -s http://127.0.0.1:8080/actuator/fastshare
 * curl -s -X POST -H 'Content-Type: application/vnd.fastshare.token' -H @&lt;(grep -i '^x-embeddings' headers.txt) \
 *      --data-binary @token.txt http://127.0.0.1:8081/handoff/token
 * </pre>
 */
@RestController
@Profile("producer")
class UnclaimedWriteController {

    private final SharedMemoryTemplate template;

    UnclaimedWriteController(SharedMemoryTemplate template) {
        this.template = template;
    }

    /**
     * Writes a batch and returns its token as the body and its metadata as {@code X-Embeddings-*} headers:
     * the request the consumer's token endpoints take.
     *
     * @param size payload size such as {@code 8MB}
     * @param ttl block lifetime such as {@code 30s}; default {@code fastshare.default-ttl}
     * @return the token, with the metadata headers
     * @throws IllegalArgumentException when a parameter cannot be parsed
     * @throws io.fastshare.AllocationException when shared memory cannot take the batch
     */
    @PostMapping(path = "/demo/write", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> write(@RequestParam(defaultValue = "8MB") String size,
            @RequestParam(required = false) String ttl) {
        Embeddings embeddings = EmbeddingsFactory.ofSize(DataSize.parse(size).toBytes(), System.nanoTime());
        WriteOptions options = ttl == null ? WriteOptions.defaults()
                : WriteOptions.defaults().ttl(DurationStyle.detectAndParse(ttl));
        EmbeddingsMeta meta = embeddings.meta();
        return ResponseEntity.ok()
                .header(OctetHeaders.MODEL, meta.model())
                .header(OctetHeaders.DIMENSIONS, Integer.toString(meta.dimensions()))
                .header(OctetHeaders.COUNT, Integer.toString(meta.count()))
                .header(OctetHeaders.CHECKSUM, Long.toString(meta.checksum()))
                .body(template.write(embeddings.vectors(), options));
    }
}
