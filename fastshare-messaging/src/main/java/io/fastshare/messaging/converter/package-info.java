/**
 * Spring Messaging: a {@code org.springframework.messaging.converter.MessageConverter} that wraps another
 * and offloads large payloads into token messages, for everything built on spring-messaging (JMS, STOMP,
 * Spring Integration channels, {@code RabbitMessagingTemplate}). Needs {@code spring-messaging}.
 */
@NullMarked
package io.fastshare.messaging.converter;

import org.jspecify.annotations.NullMarked;
