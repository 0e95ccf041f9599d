package io.fastshare.messaging.http.reactive;

import io.fastshare.messaging.http.ExchangeBlocks;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * Releases the blocks a WebClient request body was written to ({@link FastShareHttpMessageWriter}) when the
 * exchange is over: the response arrived (whatever its status), the request failed, or the subscriber
 * cancelled. The server releases a block it read when its exchange is done; this covers a server that never
 * read the body (a 404, a rejected request, a network failure). Each subscription (a retry) is its own
 * exchange.
 *
 * <pre>{@code
 * WebClient client = WebClient.builder().filter(new FastShareExchangeFilterFunction())
 *         .codecs(codecs -> { codecs.customCodecs().register(writer); codecs.customCodecs().register(reader); })
 *         .build();   // Spring Boot's WebClient.Builder has both already
 * }</pre>
 *
 * <p>Thread-safe and stateless.
 */
public final class FastShareExchangeFilterFunction implements ExchangeFilterFunction {

    /**
     * Creates the filter.
     */
    public FastShareExchangeFilterFunction() {
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        return Mono.defer(() -> {
            ExchangeBlocks blocks = new ExchangeBlocks();
            // The request's attributes are copied into the connector's request, where the writer finds them.
            ClientRequest tracked = ClientRequest.from(request).attribute(ExchangeBlocks.ATTRIBUTE, blocks).build();
            return next.exchange(tracked).doFinally(signal -> blocks.close("the HTTP exchange was over"));
        });
    }
}
