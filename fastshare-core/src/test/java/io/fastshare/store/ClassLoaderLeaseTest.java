package io.fastshare.store;

import io.fastshare.TestDirs;
import io.fastshare.cleanup.CleanupChild;
import io.fastshare.store.pool.PoolChildMain;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 12, item 2: two copies of fastshare-core in one JVM, each loaded by its own
 * {@link URLClassLoader} (two web applications in one servlet container, child-first loaders), on one
 * block directory. The second copy's janitor must not drop the first copy's lease lock, so another
 * process's janitor still sees the first copy's block as live.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClassLoaderLeaseTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tempDir;

    Path dir;
    final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void setUp() {
        dir = TestDirs.blockDir(tempDir);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        TestDirs.assertNoBlocks(dir);
    }

    @Test
    void aSecondCopyOfTheLibraryInTheSameJvmNeverDropsTheFirstCopysLease() throws Exception {
        Peer first = new Peer(isolatedLoader());
        Peer second = new Peer(isolatedLoader());
        assertThat(first.type).isNotSameAs(second.type).isNotSameAs(LoaderPeer.class);

        AutoCloseable writer = first.open(dir);
        String token = first.write(writer, 20_000);
        AutoCloseable neighbour = second.open(dir);
        for (int i = 0; i < 3; i++) {
            assertThat(second.blocks(neighbour)).isEqualTo(1);
        }

        // A janitor in another process with a zero grace reclaims the block at once if the lock is gone.
        try (ChildJvm janitor = ChildJvm.start(List.of("-Xmx256m"), CleanupChild.class, "clean", dir.toString(),
                "0")) {
            janitor.awaitLine("WAITING", WAIT);
            janitor.send("GO");
            assertThat(janitor.awaitLine("CLEANED ", WAIT)).as("%s", janitor.output()).isEqualTo("0");
            assertThat(janitor.awaitExit(WAIT)).isZero();
        }
        assertThat(first.read(writer, token)).isEqualTo(20_000);
    }

    /**
     * Issue 11: with the pool on, the second copy never opens a channel on the first copy's segment (its
     * close would drop the first copy's owner and pin locks): it lists without a JVM-level exception,
     * refuses to read the first copy's pooled block with the library's own exception, still writes and
     * reads through its own segments, and another process's janitor still sees the first copy's block live.
     */
    @Test
    void aSecondCopyWithThePoolOnLeavesTheFirstCopysSegmentsAlone() throws Exception {
        Peer first = new Peer(isolatedLoader());
        Peer second = new Peer(isolatedLoader());

        AutoCloseable writer = first.openPooled(dir);
        String token = first.write(writer, 20_000);
        assertThat(token).startsWith("FSHR:pool:");
        AutoCloseable neighbour = second.openPooled(dir);
        for (int i = 0; i < 3; i++) {
            assertThat(second.blocks(neighbour)).as("the first copy's segment is not mapped here").isZero();
        }
        assertThatThrownBy(() -> second.read(neighbour, token)).isInstanceOf(InvocationTargetException.class)
                .cause().satisfies(e -> {
                    assertThat(e.getClass().getName()).isEqualTo("io.fastshare.AnotherCopyException");
                    assertThat(e.getClass().getSuperclass().getName()).isEqualTo("io.fastshare.FastShareException");
                })
                .hasMessageContaining("another copy of fastshare in this JVM (another class loader)");
        String own = second.write(neighbour, 30_000);
        assertThat(own).startsWith("FSHR:pool:");
        assertThat(second.read(neighbour, own)).isEqualTo(30_000);
        assertThat(second.release(neighbour, own)).isTrue();
        neighbour.close();
        second.call("unmapPoolSegments", new Class<?>[0]);

        // A sweep in another process with a zero grace removes the first copy's segment at once if its
        // owner lock is gone (and frees its slot if the pin lock was dropped under a reader).
        try (ChildJvm janitor = ChildJvm.start(List.of("-Xmx256m"), PoolChildMain.class)) {
            janitor.awaitLine("READY", WAIT);
            janitor.send("SWEEP " + dir.resolve(".pool") + " 0");
            assertThat(janitor.awaitLine("SWEPT ", WAIT)).as("%s", janitor.output()).isEqualTo("0 0");
            janitor.send("EXIT");
            assertThat(janitor.awaitExit(WAIT)).isZero();
        }
        assertThat(first.read(writer, token)).isEqualTo(20_000);
        assertThat(first.blocks(writer)).isEqualTo(1);
    }

    /** A loader that sees this test's whole class path but nothing of this class loader's classes. */
    private URLClassLoader isolatedLoader() throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        closeables.add(loader);
        return loader;
    }

    /** {@link LoaderPeer} as loaded by one isolated class loader. */
    private final class Peer {
        final Class<?> type;

        Peer(ClassLoader loader) throws ClassNotFoundException {
            this.type = Class.forName(LoaderPeer.class.getName(), true, loader);
        }

        AutoCloseable openPooled(Path directory) throws Exception {
            AutoCloseable template = (AutoCloseable) call("openPooled", new Class<?>[] {String.class}, directory.toString());
            closeables.add(template);
            return template;
        }

        boolean release(AutoCloseable template, String token) throws Exception {
            return (Boolean) call("release", new Class<?>[] {AutoCloseable.class, String.class}, template, token);
        }

        AutoCloseable open(Path directory) throws Exception {
            AutoCloseable template = (AutoCloseable) call("open", new Class<?>[] {String.class}, directory.toString());
            closeables.add(template);
            return template;
        }

        String write(AutoCloseable template, int size) throws Exception {
            return (String) call("write", new Class<?>[] {AutoCloseable.class, int.class}, template, size);
        }

        int blocks(AutoCloseable template) throws Exception {
            return (Integer) call("blocks", new Class<?>[] {AutoCloseable.class}, template);
        }

        int read(AutoCloseable template, String token) throws Exception {
            return (Integer) call("read", new Class<?>[] {AutoCloseable.class, String.class}, template, token);
        }

        private Object call(String name, Class<?>[] types, Object... args) throws Exception {
            Method method = type.getMethod(name, types);
            return method.invoke(null, args);
        }
    }
}
