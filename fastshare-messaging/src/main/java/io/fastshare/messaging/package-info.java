/**
 * Claim-check offload over the messaging an application already uses: {@link io.fastshare.messaging.ClaimCheck}
 * writes a large payload to shared memory and describes it in a few message headers; the consumer side
 * resolves those headers back into the payload, checks that it shares the producer's block directory, and
 * releases the block only after the message was processed successfully.
 *
 * <p>The sub-packages adapt this to HTTP ({@code http}), RabbitMQ ({@code amqp}), Kafka ({@code kafka})
 * and Spring Messaging ({@code converter}); each needs only its own library on the class path.
 */
@NullMarked
package io.fastshare.messaging;

import org.jspecify.annotations.NullMarked;
