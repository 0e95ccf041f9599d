package io.fastshare.messaging.kafka;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** Reads claim-check headers from Kafka record headers (UTF-8 bytes). Thread-safe (stateless). */
final class KafkaHeaders {

    private KafkaHeaders() {
    }

    static Function<String, @Nullable String> reader(@Nullable Headers headers) {
        return name -> {
            if (headers == null) {
                return null;
            }
            Header header = headers.lastHeader(name);
            return header == null || header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8);
        };
    }
}
