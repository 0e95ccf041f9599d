/**
 * RabbitMQ through Spring AMQP: a {@code MessageConverter} that wraps the application's own and offloads
 * large payloads into a token message, a listener advice that releases blocks only after the listener
 * returned and closes zero-copy handles, and a {@code RabbitTemplate} that releases the block of a failed send.
 * Needs {@code spring-rabbit}.
 */
@NullMarked
package io.fastshare.messaging.amqp;

import org.jspecify.annotations.NullMarked;
