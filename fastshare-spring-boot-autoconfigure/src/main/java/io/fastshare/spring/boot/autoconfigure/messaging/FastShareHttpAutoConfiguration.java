package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.http.FastShareClientHttpRequestFactory;
import io.fastshare.messaging.http.FastShareHttpMessageConverter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer;
import org.springframework.boot.http.converter.autoconfigure.ClientHttpMessageConvertersCustomizer;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Registers the {@code application/vnd.fastshare.token} converter ({@link FastShareHttpMessageConverter})
 * on Spring MVC (server) and on every {@code RestClient} built from Boot's builder (client), through Boot's
 * converter customizers, and wraps the request factories Boot builds in {@link FastShareClientHttpRequestFactory}
 * so a request's block is released when its exchange is over (without an interceptor, so request bodies still
 * stream). Switched off by
 * {@code fastshare.messaging.http.enabled=false}; the threshold is {@code fastshare.messaging.http.threshold}.
 */
@AutoConfiguration(after = FastShareMessagingAutoConfiguration.class,
        beforeName = {"org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration",
            "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration",
            "org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration",
            "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration"})
@ConditionalOnClass({FastShareHttpMessageConverter.class, ClientHttpMessageConvertersCustomizer.class})
@ConditionalOnBean(ClaimCheck.class)
@ConditionalOnBooleanProperty(name = "fastshare.messaging.http.enabled", matchIfMissing = true)
public final class FastShareHttpAutoConfiguration {

    /**
     * Creates the auto-configuration; called by Spring.
     */
    FastShareHttpAutoConfiguration() {
    }

    /**
     * Adds the converter to the server's converters, ahead of the defaults (it answers only for its media
     * type).
     *
     * @param claimCheck the application's claim check
     * @param properties bound properties
     * @return the customizer
     */
    @Bean
    ServerHttpMessageConvertersCustomizer fastShareServerHttpMessageConvertersCustomizer(ClaimCheck claimCheck,
            FastShareMessagingProperties properties) {
        FastShareHttpMessageConverter converter = converter(claimCheck, properties);
        return builder -> builder.addCustomConverter(converter);
    }

    /**
     * Adds the converter to the HTTP clients' converters, ahead of the defaults.
     *
     * @param claimCheck the application's claim check
     * @param properties bound properties
     * @return the customizer
     */
    @Bean
    ClientHttpMessageConvertersCustomizer fastShareClientHttpMessageConvertersCustomizer(ClaimCheck claimCheck,
            FastShareMessagingProperties properties) {
        FastShareHttpMessageConverter converter = converter(claimCheck, properties);
        return builder -> builder.addCustomConverter(converter);
    }

    private static FastShareHttpMessageConverter converter(ClaimCheck claimCheck,
            FastShareMessagingProperties properties) {
        return new FastShareHttpMessageConverter(ClaimChecks.forEndpoint(claimCheck, properties.getHttp()));
    }

    /** The request factory wrapper that releases a request's blocks when its exchange is over. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ClientHttpRequestFactoryBuilderCustomizer.class)
    static class RequestFactoryConfiguration {

        /**
         * Wraps every request factory Boot builds (for {@code RestClient}, {@code RestTemplate} and HTTP service
         * clients) in a {@link FastShareClientHttpRequestFactory}. Not an interceptor: with any interceptor,
         * Spring buffers every request body in memory, a whole second copy of an octet-stream upload. Runs last,
         * so the application's customizers still see Boot's concrete factory builder.
         *
         * @return the customizer
         */
        @Bean
        @Order(Ordered.LOWEST_PRECEDENCE)
        ClientHttpRequestFactoryBuilderCustomizer<ClientHttpRequestFactoryBuilder<?>> fastShareRequestFactoryBuilderCustomizer() {
            return builder -> settings -> FastShareClientHttpRequestFactory.wrap(builder.build(settings));
        }
    }
}
