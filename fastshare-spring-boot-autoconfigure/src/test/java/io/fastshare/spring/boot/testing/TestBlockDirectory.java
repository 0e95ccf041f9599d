package io.fastshare.spring.boot.testing;

import io.fastshare.TestDirs;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fresh block directory for each test, set as {@code fastshare.directory} in every context a runner
 * starts with {@link #asProperty()}, checked free of blocks after the test and deleted. Register it as a
 * {@code final} field with {@code @RegisterExtension}, ahead of the {@code final} runner that uses it.
 */
public final class TestBlockDirectory implements BeforeEachCallback, AfterEachCallback {

    private Path root;
    private Path path;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        root = Files.createTempDirectory("fastshare-spring-test");
        path = TestDirs.blockDir(root);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (Files.exists(path)) {
                TestDirs.assertNoBlocks(path);
            }
        } finally {
            TestDirs.deleteTree(path);
            TestDirs.deleteTree(root);
        }
    }

    /**
     * Returns the block directory of the running test.
     *
     * @return the directory (not created yet: the template creates it)
     */
    public Path path() {
        return path;
    }

    /**
     * Sets {@code fastshare.directory} to this test's directory, read when the context starts.
     *
     * @return the initializer
     */
    public ApplicationContextInitializer<ConfigurableApplicationContext> asProperty() {
        return context -> TestPropertyValues.of("fastshare.directory=" + path).applyTo(context);
    }
}
