package io.fastshare.bench.http;

import io.fastshare.bench.Json;
import io.fastshare.bench.Sink;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Receives payloads posted by the benchmark harness and answers with the {@code System.nanoTime()}
 * at which the payload was held as a Java array ({@code CLOCK_MONOTONIC} on Linux: one clock for all
 * processes). The body arrives as bytes through Spring MVC's byte-array converter; JSON is then
 * parsed with the same Jackson 3 mapper the sender used (its string-length cap lifted for base64 of
 * large {@code byte[]}), which is the work Spring's JSON converter would do. Thread-safe.
 */
@RestController
public class ReceiveController {

    /**
     * Receives raw bytes: a {@code byte[]} as is, a {@code float[]} as little-endian bytes.
     *
     * @param type {@code BYTES} or {@code FLOATS}
     * @param body the request body
     * @return the time stamp
     */
    @PostMapping(path = "/octet/{type}", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public String octet(@PathVariable("type") String type, @RequestBody byte[] body) {
        Object payload = body;
        if ("FLOATS".equals(type)) {
            float[] floats = new float[body.length / 4];
            ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(floats);
            payload = floats;
        }
        long held = System.nanoTime();
        Sink.consume(payload);
        return Long.toString(held);
    }

    /**
     * Receives JSON: a base64 string for {@code byte[]}, an array of numbers for {@code float[]}, an
     * object for {@code Embeddings}.
     *
     * @param type {@code BYTES}, {@code FLOATS} or {@code EMBEDDINGS}
     * @param body the request body
     * @return the time stamp
     */
    @PostMapping(path = "/json/{type}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public String json(@PathVariable("type") String type, @RequestBody byte[] body) {
        Class<?> target = switch (type) {
            case "FLOATS" -> float[].class;
            case "EMBEDDINGS" -> io.fastshare.bench.Embeddings.class;
            default -> byte[].class;
        };
        Object payload = Json.deserialize(body, target);
        long held = System.nanoTime();
        Sink.consume(payload);
        return Long.toString(held);
    }
}
