/**
 * Kafka through Spring for Apache Kafka: a value {@code Serializer}/{@code Deserializer} pair that wraps the
 * application's own and turns large values into token records, a {@code RecordInterceptor} that releases a
 * block once the record was processed, and a {@code ProducerListener} that releases the block of a failed
 * send. Needs {@code spring-kafka}.
 */
@NullMarked
package io.fastshare.messaging.kafka;

import org.jspecify.annotations.NullMarked;
