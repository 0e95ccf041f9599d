package io.fastshare.messaging.http.reactive;

import io.fastshare.messaging.http.ExchangeBlocks;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Ties the request bodies a WebFlux server reads through {@link FastShareHttpMessageReader} to the exchange:
 * their blocks are released, and zero-copy views closed, when the exchange is done, after the handler
 * completed, failed or was cancelled. The reader finds the exchange's {@link ExchangeBlocks} in the Reactor
 * context this filter writes.
 *
 * <p>Ordered early ({@link #ORDER}), so that it spans every filter and handler that may read a body.
 *
 * <p>Thread-safe and stateless.
 */
public final class FastShareWebFilter implements WebFilter, Ordered {

    /** The filter's order: just after the highest precedence. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    /**
     * Creates the filter.
     */
    public FastShareWebFilter() {
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return Mono.defer(() -> {
            ExchangeBlocks blocks = new ExchangeBlocks();
            return chain.filter(exchange)
                    .contextWrite(context -> context.put(ExchangeBlocks.ATTRIBUTE, blocks))
                    .doFinally(signal -> blocks.close("the request was done"));
        });
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
