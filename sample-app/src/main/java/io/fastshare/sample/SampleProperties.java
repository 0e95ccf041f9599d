package io.fastshare.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.net.URI;

/**
 * Settings of the sample services ({@code sample.*}).
 *
 * @param consumerUrl base URL of the consumer service, used by the producer
 * @param size payload size of the main comparison (fastshare token versus HTTP octet-stream)
 * @param jsonSize payload size of the second comparison, which adds JSON; JSON of the main size
 *     would take minutes and gigabytes of heap
 * @param rounds measured rounds per path (after one warm-up round); the table shows medians
 */
@ConfigurationProperties("sample")
public record SampleProperties(
        @DefaultValue("http://127.0.0.1:8081") URI consumerUrl,
        @DefaultValue("256MB") DataSize size,
        @DefaultValue("16MB") DataSize jsonSize,
        @DefaultValue("5") int rounds) {
}
