package io.fastshare.store;

import io.fastshare.FastShareException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Lifetime of zero-copy views: valid after the file is deleted, unmapped on close, and on JDK 22+
 * (where mappings live in a shared arena) a view touched after close throws instead of crashing.
 * The build runs this class on JDK 17 and, where Temurin 25 is installed, on JDK 25 too.
 */
class MappingLifetimeTest {

    @TempDir
    Path temp;

    SharedMemoryTemplate template;

    @BeforeEach
    void setUp() {
        template = SharedMemoryTemplate.builder().directory(TestDirs.blockDir(temp)).poolSize(0).build();
    }

    @AfterEach
    void tearDown() {
        template.close();
        TestDirs.assertNoBlocks(template.directory());
    }

    @Test
    void strategyMatchesTheRuntime() {
        String expected = Runtime.version().feature() >= 22 ? "arena" : "invoke-cleaner";
        assertThat(BufferMapping.strategy()).isEqualTo(expected);
    }

    @Test
    void viewSurvivesDeletionOfTheBlock() {
        float[] data = new float[1_000_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        String token = template.write(data);
        try (SharedPayload payload = template.open(token)) {
            assertThat(template.release(token)).isTrue();
            FloatBuffer view = payload.view(0).asFloatBuffer();
            float[] copy = new float[data.length];
            view.get(copy);
            assertThat(copy).isEqualTo(data);
            assertThat(payload.view(0).isReadOnly()).isTrue();
        }
    }

    @Test
    void closedHandleRefusesNewViewsAndClosesTwice() {
        String token = template.write(new byte[2_000_000]);
        SharedPayload payload = template.open(token);
        payload.close();
        payload.close();
        assertThatThrownBy(() -> payload.view(0)).isInstanceOf(FastShareException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> payload.value(byte[].class)).isInstanceOf(FastShareException.class);
        template.release(token);
    }

    @Test
    void viewTouchedAfterCloseThrowsOnJdk22AndLater() {
        assumeTrue(Runtime.version().feature() >= 22,
                "JDK " + Runtime.version().feature() + " unmaps with invokeCleaner: touching a view after close would "
                        + "crash the JVM, so this check runs only on JDK 22+");
        String token = template.write(new byte[2_000_000]);
        ByteBuffer view;
        try (SharedPayload payload = template.open(token)) {
            view = payload.view(0);
            assertThat(view.get(10)).isZero();
        }
        assertThatThrownBy(() -> view.get(10)).isInstanceOf(IllegalStateException.class);
        template.release(token);
    }
}
