package io.fastshare.messaging.http;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.AbstractClientHttpRequestFactoryWrapper;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.Map;

/**
 * Wraps a {@link ClientHttpRequestFactory} so that the blocks a request body was written to (by
 * {@link FastShareHttpMessageConverter}) are released when the exchange is over: when the response arrived,
 * whatever its status, or the request failed. The server releases a block it read when its request is done;
 * this covers a server that never read the body (a 404, a rejected request, a network failure), so nothing
 * outlives the exchange.
 *
 * <p>Unlike a {@code ClientHttpRequestInterceptor}, which makes Spring buffer every request body in memory,
 * the wrapper leaves the delegate's requests as they are: a body the delegate streams (an octet-stream
 * upload of any size) is still streamed.
 *
 * <pre>{@code
 * RestClient client = restClientBuilder
 *         .requestFactory(new FastShareClientHttpRequestFactory(myRequestFactory))   // when you set your own factory
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe when the delegate is.
 */
public final class FastShareClientHttpRequestFactory extends AbstractClientHttpRequestFactoryWrapper {

    /**
     * Wraps a request factory.
     *
     * @param delegate the factory that creates and sends the requests
     */
    public FastShareClientHttpRequestFactory(ClientHttpRequestFactory delegate) {
        super(delegate);
    }

    /**
     * Wraps a request factory unless it is wrapped already.
     *
     * @param factory a request factory
     * @return the factory itself when it is a {@code FastShareClientHttpRequestFactory}, else a wrapper
     */
    public static FastShareClientHttpRequestFactory wrap(ClientHttpRequestFactory factory) {
        return factory instanceof FastShareClientHttpRequestFactory wrapped ? wrapped
                : new FastShareClientHttpRequestFactory(factory);
    }

    @Override
    protected ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod, ClientHttpRequestFactory requestFactory)
            throws IOException {
        ClientHttpRequest request = requestFactory.createRequest(uri, httpMethod);
        return request instanceof StreamingHttpOutputMessage ? new StreamingRequest(request) : new Request(request);
    }

    /** A request that releases its exchange's blocks after {@link #execute}. */
    private static class Request implements ClientHttpRequest {

        final ClientHttpRequest delegate;

        Request(ClientHttpRequest delegate) {
            this.delegate = delegate;
        }

        @Override
        public ClientHttpResponse execute() throws IOException {
            try {
                return delegate.execute();
            } finally {
                // Read at the end, not at creation: an intercepting request copies its attributes in late.
                if (getAttributes().get(ExchangeBlocks.ATTRIBUTE) instanceof ExchangeBlocks blocks) {
                    blocks.close("the HTTP exchange was over");
                }
            }
        }

        @Override
        public OutputStream getBody() throws IOException {
            return delegate.getBody();
        }

        @Override
        public HttpHeaders getHeaders() {
            return delegate.getHeaders();
        }

        @Override
        public HttpMethod getMethod() {
            return delegate.getMethod();
        }

        @Override
        public URI getURI() {
            return delegate.getURI();
        }

        @Override
        public Map<String, Object> getAttributes() {
            return delegate.getAttributes();
        }
    }

    /** The same for a request that streams its body: stays a {@link StreamingHttpOutputMessage}. */
    private static final class StreamingRequest extends Request implements StreamingHttpOutputMessage {

        StreamingRequest(ClientHttpRequest delegate) {
            super(delegate);
        }

        @Override
        public void setBody(Body body) {
            ((StreamingHttpOutputMessage) delegate).setBody(body);
        }
    }
}
