package io.fastshare.spring.boot.autoconfigure;

import io.fastshare.TestDirs;
import io.fastshare.spring.boot.autoconfigure.cleanup.FastShareCleanupAutoConfiguration;
import io.fastshare.spring.boot.autoconfigure.health.FastShareHealthContributorAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
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

    @TempDir
    Path tempDir;

    Path blockDir;

    ApplicationContextRunner runner;

    @BeforeEach
    void setUp() {
        blockDir = TestDirs.blockDir(tempDir);
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FastShareAutoConfiguration.class,
                        FastShareCleanupAutoConfiguration.class, FastShareHealthContributorAutoConfiguration.class))
                .withPropertyValues("fastshare.directory=" + blockDir);
    }

    @AfterEach
    void tearDown() {
        TestDirs.deleteTree(blockDir);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "fastshare.threshold        | -1B       | a size must not be negative",
        "fastshare.max-live-size    | -5MB      | a size must not be negative",
        "fastshare.max-inline-size  | 2GB       | over 1 GiB",
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
            FailureAnalysis analysis = new InvalidFastSharePropertyFailureAnalyzer().analyze(failure);
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("Invalid value for property '" + property + "'");
            assertThat(analysis.getAction()).contains("Update '" + property + "'").contains("Set it to");
        });
    }

    @Test
    void directoryThatCannotBeCreatedIsReportedAtStartup(CapturedOutput output) throws Exception {
        Files.createDirectories(tempDir);
        Path file = Files.writeString(tempDir.resolve("not-a-directory"), "x");
        Path impossible = file.resolve("blocks");
        assertThatThrownBy(() -> start("--fastshare.directory=" + impossible)).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Invalid value for property 'fastshare.directory': '" + impossible + "'")
                .contains("Point it at a writable directory");
    }

    @Test
    void unknownFallbackIsReportedAtStartup(CapturedOutput output) {
        assertThatThrownBy(() -> start("--fastshare.directory=" + blockDir, "--fastshare.fallback=sideways"))
                .isNotNull();
        // Spring Boot's own bind failure analysis names the property and lists the valid values.
        assertThat(output).contains("APPLICATION FAILED TO START").contains("fastshare.fallback")
                .contains("sideways").contains("INLINE").contains("FAIL");
    }

    @Test
    void negativeThresholdIsReportedAtStartup(CapturedOutput output) {
        assertThatThrownBy(() -> start("--fastshare.directory=" + blockDir, "--fastshare.threshold=-1MB"))
                .isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Invalid value for property 'fastshare.threshold': '-1048576B'")
                .contains("Set it to 0 or a positive size");
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
