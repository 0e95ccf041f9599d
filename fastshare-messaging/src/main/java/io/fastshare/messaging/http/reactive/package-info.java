/**
 * WebClient and WebFlux servers: a reactive {@code HttpMessageWriter}/{@code HttpMessageReader} pair for the
 * {@code application/vnd.fastshare.token} media type, the client's {@code ExchangeFilterFunction} and the
 * server's {@code WebFilter} that release the blocks of an exchange when it is done. Same semantics as the
 * blocking {@link io.fastshare.messaging.http.FastShareHttpMessageConverter}. Needs {@code spring-web} and
 * Reactor; the exchange filter needs {@code spring-webflux}.
 */
@NullMarked
package io.fastshare.messaging.http.reactive;

import org.jspecify.annotations.NullMarked;
