/**
 * The optional RabbitMQ leg of the demo ({@code sample.rabbit=true}): the same batch as a RabbitMQ
 * request-reply, offloaded by the starter's AMQP converter.
 */
package io.fastshare.sample.rabbit;
