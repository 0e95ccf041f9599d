package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.TestDirs;
import io.fastshare.messaging.http.FastShareClientHttpRequestFactory;
import io.fastshare.messaging.http.reactive.FastShareHttpMessageReader;
import io.fastshare.messaging.http.reactive.FastShareHttpMessageWriter;
import io.fastshare.messaging.http.reactive.FastShareWebFilter;
import io.fastshare.spring.boot.autoconfigure.FastShareAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.http.codec.ClientCodecConfigurer;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP auto-configurations, blocking and reactive: what they install, and when they step back. */
class HttpAutoConfigurationTests {

    private final Path tempDir = createTempDir();
    private final Path blockDir = TestDirs.blockDir(tempDir);

    private final AutoConfigurations configurations = AutoConfigurations.of(FastShareAutoConfiguration.class,
            FastShareMessagingAutoConfiguration.class, FastShareHttpAutoConfiguration.class,
            FastShareWebFluxAutoConfiguration.class, ImperativeHttpClientAutoConfiguration.class,
            CodecsAutoConfiguration.class);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(configurations)
            .withPropertyValues("fastshare.directory=" + blockDir, "fastshare.cleanup.enabled=false");

    private final ReactiveWebApplicationContextRunner reactiveRunner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(configurations)
            .withPropertyValues("fastshare.directory=" + blockDir, "fastshare.cleanup.enabled=false");

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("fastshare-http-ac");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void tearDown() {
        TestDirs.deleteTree(tempDir);
    }

    @Test
    void requestFactoriesBootBuildsReleaseBlocksWithoutAnInterceptor() {
        runner.run(context -> {
            assertThat(context.getBean(ClientHttpRequestFactoryBuilder.class).build())
                    .isInstanceOf(FastShareClientHttpRequestFactory.class);
            // An interceptor makes Spring buffer every request body: the starter must not add one.
            assertThat(context.getBeansOfType(RestClientCustomizer.class)).isEmpty();
        });
    }

    @Test
    void registersTheReactiveReaderAndWriterAndTheExchangeFilter() {
        runner.run(context -> {
            ClientCodecConfigurer codecs = ClientCodecConfigurer.create();
            context.getBeansOfType(CodecCustomizer.class).values().forEach(c -> c.customize(codecs));
            assertThat(codecs.getReaders()).first().isInstanceOf(FastShareHttpMessageReader.class);
            assertThat(codecs.getWriters()).first().isInstanceOf(FastShareHttpMessageWriter.class);
            assertThat(context).hasSingleBean(WebClientCustomizer.class);
            // Not a reactive web application: no server filter.
            assertThat(context).doesNotHaveBean(FastShareWebFilter.class);
        });
    }

    @Test
    void aReactiveWebApplicationGetsTheWebFilter() {
        reactiveRunner.run(context -> assertThat(context).hasSingleBean(FastShareWebFilter.class));
    }

    @Test
    void theHttpSwitchTurnsBothSidesOff() {
        runner.withPropertyValues("fastshare.messaging.http.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(WebClientCustomizer.class);
            assertThat(context).doesNotHaveBean("fastShareCodecCustomizer");
            assertThat(context.getBean(ClientHttpRequestFactoryBuilder.class).build())
                    .isNotInstanceOf(FastShareClientHttpRequestFactory.class);
        });
        reactiveRunner.withPropertyValues("fastshare.messaging.http.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(FastShareWebFilter.class));
    }

    @Test
    void withoutWebFluxThereIsNoWebClientFilter() {
        runner.withClassLoader(new FilteredClassLoader(WebClient.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(WebClientCustomizer.class);
            assertThat(context).hasBean("fastShareServerHttpMessageConvertersCustomizer");
        });
    }

    @Test
    void withoutReactorThereIsNothingReactive() {
        runner.withClassLoader(new FilteredClassLoader(Mono.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(WebClientCustomizer.class);
            assertThat(context).doesNotHaveBean("fastShareCodecCustomizer");
            assertThat(context).hasBean("fastShareClientHttpMessageConvertersCustomizer");
        });
    }
}
