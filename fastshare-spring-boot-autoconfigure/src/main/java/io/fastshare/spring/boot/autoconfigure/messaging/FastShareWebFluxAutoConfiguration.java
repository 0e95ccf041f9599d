package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.http.reactive.FastShareExchangeFilterFunction;
import io.fastshare.messaging.http.reactive.FastShareHttpMessageReader;
import io.fastshare.messaging.http.reactive.FastShareHttpMessageWriter;
import io.fastshare.messaging.http.reactive.FastShareWebFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The reactive side of the {@code application/vnd.fastshare.token} media type: registers
 * {@link FastShareHttpMessageReader} and {@link FastShareHttpMessageWriter} through Boot's
 * {@link CodecCustomizer} (so on every {@code WebClient} built from Boot's builder and on WebFlux servers),
 * adds {@link FastShareExchangeFilterFunction} to those clients (a request's block is released when its
 * exchange is over) and, in a reactive web application, the {@link FastShareWebFilter} (a request body's block
 * is released when the server's exchange is done). Switched off with the blocking side by
 * {@code fastshare.messaging.http.enabled=false}; the threshold is {@code fastshare.messaging.http.threshold}.
 */
@AutoConfiguration(after = FastShareMessagingAutoConfiguration.class,
        beforeName = {"org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration",
            "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration",
            "org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration"})
@ConditionalOnClass({FastShareHttpMessageReader.class, CodecCustomizer.class, Mono.class})
@ConditionalOnBean(ClaimCheck.class)
@ConditionalOnBooleanProperty(name = "fastshare.messaging.http.enabled", matchIfMissing = true)
public final class FastShareWebFluxAutoConfiguration {

    /**
     * Creates the auto-configuration; called by Spring.
     */
    FastShareWebFluxAutoConfiguration() {
    }

    /**
     * Adds the reader and writer to the codecs of WebClient and of the WebFlux server, ahead of the defaults
     * (they answer only for their media type).
     *
     * @param claimCheck the application's claim check
     * @param properties bound properties
     * @return the customizer
     */
    @Bean
    CodecCustomizer fastShareCodecCustomizer(ClaimCheck claimCheck, FastShareMessagingProperties properties) {
        ClaimCheck check = ClaimChecks.forEndpoint(claimCheck, properties.getHttp());
        FastShareHttpMessageReader reader = new FastShareHttpMessageReader(check);
        FastShareHttpMessageWriter writer = new FastShareHttpMessageWriter(check);
        return configurer -> {
            configurer.customCodecs().register(reader);
            configurer.customCodecs().register(writer);
        };
    }

    /** The client side: the exchange filter on Boot's {@code WebClient.Builder}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({WebClient.class, WebClientCustomizer.class})
    static class WebClientConfiguration {

        /**
         * Adds the filter that releases a request's blocks when its exchange is over.
         *
         * @return the customizer
         */
        @Bean
        WebClientCustomizer fastShareWebClientCustomizer() {
            FastShareExchangeFilterFunction filter = new FastShareExchangeFilterFunction();
            return builder -> builder.filter(filter);
        }
    }

    /** The server side: the web filter of a WebFlux application. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    static class ServerConfiguration {

        /**
         * Ties request bodies read by the server to their exchange.
         *
         * @return the filter (WebFlux applies every {@code WebFilter} bean)
         */
        @Bean
        FastShareWebFilter fastShareWebFilter() {
            return new FastShareWebFilter();
        }
    }
}
