package io.fastshare.messaging.http;

import io.fastshare.messaging.ClaimCheck;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Releases the blocks of a request body written by {@link FastShareHttpMessageConverter} once the exchange
 * is over, whether the server answered (with any status) or the call failed. The server releases the block
 * as well when its request is done; this covers a server that never read the body (a 404, a rejected
 * request, a network failure), so nothing outlives the exchange.
 *
 * <p>Thread-safe.
 */
public final class FastShareClientHttpRequestInterceptor implements ClientHttpRequestInterceptor {

    private final ClaimCheck claimCheck;

    /**
     * Creates the interceptor.
     *
     * @param claimCheck releases the blocks
     */
    public FastShareClientHttpRequestInterceptor(ClaimCheck claimCheck) {
        this.claimCheck = Objects.requireNonNull(claimCheck, "claimCheck");
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        try {
            return execution.execute(request, body);
        } finally {
            Object tokens = request.getAttributes().remove(FastShareHttpMessageConverter.WRITTEN_TOKENS);
            if (tokens instanceof List<?> list) {
                for (Object token : list) {
                    claimCheck.release(token.toString(), "the HTTP exchange was over");
                }
            }
        }
    }
}
