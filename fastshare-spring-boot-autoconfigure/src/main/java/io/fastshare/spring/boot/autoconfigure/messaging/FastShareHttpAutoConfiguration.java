package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.http.FastShareClientHttpRequestInterceptor;
import io.fastshare.messaging.http.FastShareHttpMessageConverter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.http.converter.autoconfigure.ClientHttpMessageConvertersCustomizer;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the {@code application/vnd.fastshare.token} converter ({@link FastShareHttpMessageConverter})
 * on Spring MVC (server) and on every {@code RestClient} built from Boot's builder (client), through Boot's
 * converter customizers, and adds {@link FastShareClientHttpRequestInterceptor} to those clients so a
 * request's block is released when its exchange is over. Switched off by
 * {@code fastshare.messaging.http.enabled=false}; the threshold is {@code fastshare.messaging.http.threshold}.
 */
@AutoConfiguration(after = FastShareMessagingAutoConfiguration.class,
        beforeName = {"org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration",
            "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration",
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

    /** The interceptor that releases a request's block when its exchange is over. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RestClientCustomizer.class)
    static class RestClientConfiguration {

        /**
         * Adds the interceptor to every {@code RestClient.Builder} Boot hands out.
         *
         * @param claimCheck the application's claim check
         * @return the customizer
         */
        @Bean
        RestClientCustomizer fastShareRestClientCustomizer(ClaimCheck claimCheck) {
            FastShareClientHttpRequestInterceptor interceptor = new FastShareClientHttpRequestInterceptor(claimCheck);
            return builder -> builder.requestInterceptor(interceptor);
        }
    }
}
