/**
 * The optional RabbitMQ leg of the demo ({@code sample.rabbit=true}): the same batch as a RabbitMQ
 * request-reply, offloaded by the starter's AMQP converter.
 */
@NullMarked
package io.fastshare.sample.rabbit;

import org.jspecify.annotations.NullMarked;
