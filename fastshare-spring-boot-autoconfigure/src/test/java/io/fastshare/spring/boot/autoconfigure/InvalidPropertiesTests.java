package io.fastshare.spring.boot.autoconfigure;

import io.fastshare.spring.boot.autoconfigure.cleanup.FastShareCleanupAutoConfiguration;
import io.fastshare.spring.boot.autoconfigure.health.FastShareHealthContributorAutoConfiguration;
import io.fastshare.spring.boot.testing.TestBlockDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Invalid {@code fastshare.*} values stop startup with a message naming the property and the fix. */
@ExtendWith(OutputCaptureExtension.class)
class InvalidPropertiesTests {

    @RegisterExtension
    final TestBlockDirectory blockDir = new TestBlockDirectory();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FastShareAutoConfiguration.class,
                    FastShareCleanupAutoConfiguration.class, FastShareHealthContributorAutoConfiguration.class))
            .withInitializer(blockDir.asProperty());

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "fastshare.threshold        | -1B       | a size must not be negative",
        "fastshare.max-live-size    | -5MB      | a size must not be negative",
        "fastshare.max-inline-size  | 2GB       | must not exceed 1GB",
        "fastshare.default-ttl      | 0s        | must be positive",
        "fastshare.default-ttl      | -1m       | must be positive",
        "fastshare.file-permissions | rwx       | ",
        "fastshare.file-permissions | r--------  | owner read and write",
        "fastshare.health.min-free-space | -1KB | a size must not be negative",
        "fastshare.cleanup.interval | 0s        | must be positive",
        "fastshare.codec.allowed-types | com.*.Foo | may only end",
        "fastshare.codec.out-of-band-threshold | -1B | a size must not be negative",
        "fastshare.cleanup.grace    | -5s       | must be at least 5s",
        "fastshare.cleanup.grace    | 0s        | still writing",
    })
    void rejectsInvalidValueNamingTheProperty(String property, String value, String reason) {
        runner.withPropertyValues(property + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            InvalidFastSharePropertyException cause = findCause(failure);
            assertThat(cause.getProperty()).isEqualTo(property);
            if (reason != null) {
                assertThat(cause.getReason()).contains(reason);
            }
            // Messages name the property a Spring user sets, never a builder method.
            assertThat(failure).hasStackTraceContaining(property);
            assertThat(cause.getMessage()).doesNotContain("Builder").doesNotContain("maxInlineSize")
                    .doesNotContain("maxLiveBytes");
            FailureAnalysis analysis = new InvalidFastSharePropertyFailureAnalyzer(null).analyze(failure);
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("Invalid value for property '" + property + "'");
            assertThat(analysis.getAction()).contains("Update '" + property + "'").contains("Set it to")
                    .contains(Docs.CONFIGURATION);
        });
    }

    @Test
    void directoryThatCannotBeCreatedIsReportedAtStartup(CapturedOutput output) throws Exception {
        Path file = Files.writeString(Files.createDirectories(blockDir.path()).resolve("not-a-directory"), "x");
        Path impossible = file.resolve("blocks");
        assertThatThrownBy(() -> start("--fastshare.directory=" + impossible)).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Invalid value for property 'fastshare.directory': '" + impossible + "'")
                .contains("Create it with write access");
        Files.delete(file);
    }

    @Test
    void existingFileIsNotToldToBeCreated(CapturedOutput output) throws Exception {
        Path file = Files.writeString(Files.createDirectories(blockDir.path()).resolve("a-file"), "x");
        assertThatThrownBy(() -> start("--fastshare.directory=" + file)).isNotNull();
        assertThat(output).contains("Invalid value for property 'fastshare.directory'")
                .contains("not a directory").doesNotContain("Create it");
        Files.delete(file);
    }

    @Test
    void unknownFallbackIsReportedAtStartup(CapturedOutput output) {
        assertThatThrownBy(() -> start("--fastshare.directory=" + blockDir.path(), "--fastshare.fallback=sideways"))
                .isNotNull();
        // Spring Boot's own bind failure analysis names the property and lists the valid values.
        assertThat(output).contains("APPLICATION FAILED TO START").contains("fastshare.fallback")
                .contains("sideways").contains("INLINE").contains("FAIL");
    }

    @Test
    void valuesAreEchoedAsTypedWithTheirOrigin(CapturedOutput output) {
        assertThatThrownBy(() -> start("--fastshare.directory=" + blockDir.path(), "--fastshare.threshold=-1MB"))
                .isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Invalid value for property 'fastshare.threshold': '-1MB' (from ")
                .contains("Set it to 0 or a positive size").contains(Docs.CONFIGURATION)
                .doesNotContain("-1048576B");
    }

    @Test
    void maxInlineSizeOverTheLimitIsEchoedAsTyped(CapturedOutput output) {
        assertThatThrownBy(() -> start("--fastshare.directory=" + blockDir.path(),
                "--fastshare.max-inline-size=2GB")).isNotNull();
        assertThat(output).contains("Invalid value for property 'fastshare.max-inline-size': '2GB'")
                .contains("must not exceed 1GB").doesNotContain("maxInlineSize");
    }

    private static void start(String... args) {
        SpringApplication application = new SpringApplication(MinimalApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.run(args).close();
    }

    private static InvalidFastSharePropertyException findCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidFastSharePropertyException e) {
                return e;
            }
        }
        throw new AssertionError("no InvalidFastSharePropertyException in " + failure, failure);
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(FastShareAutoConfiguration.class)
    static class MinimalApplication {
    }
}
