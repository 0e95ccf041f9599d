package io.fastshare;

import io.fastshare.cleanup.BlockInfo;
import io.fastshare.codec.json.Embeddings;
import io.fastshare.format.BlockName;
import io.fastshare.store.BlockFile;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.type.TypeReference;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** share / load / clearCache: one writer, many readers, each deserialising once. */
class BroadcastTest {

    @TempDir
    Path tempDir;

    private Path dir;
    private final List<SharedMemoryTemplate> templates = new ArrayList<>();

    private SharedMemoryTemplate template(SharedMemoryTemplate.Builder builder) {
        if (dir == null) {
            dir = TestDirs.blockDir(tempDir);
        }
        SharedMemoryTemplate template = builder.directory(dir).build();
        templates.add(template);
        return template;
    }

    @AfterEach
    void tearDown() {
        templates.forEach(SharedMemoryTemplate::close);
        if (dir != null) {
            TestDirs.assertNoBlocks(dir);
        }
    }

    @Test
    void shareWritesANoTtlPooledBlockReleasedOnClose() {
        SharedMemoryTemplate writer = template(SharedMemoryTemplate.builder());
        SharedBlock block = writer.share(new Blob("small", new byte[10]));
        assertThat(block.token()).as("the default pool takes it").startsWith("FSHR:pool:");
        assertThat(TestDirs.isPublished(dir, block.token())).isTrue();
        BlockInfo info = writer.block(block.token()).orElseThrow();
        assertThat(info.expires()).isNull();
        assertThat(block.size()).isEqualTo(info.size()).isGreaterThan(10);
        block.close();
        assertThat(TestDirs.isPublished(dir, block.token())).isFalse();
        assertThat(writer.block(block.token())).isEmpty();
        block.close();
        assertThat(block.isClosed()).isTrue();
    }

    @Test
    void shareWritesANoTtlBlockFileReleasedOnClose() {
        SharedMemoryTemplate writer = template(SharedMemoryTemplate.builder().poolSize(0));
        SharedBlock block = writer.share(new Blob("small", new byte[10]));
        assertThat(block.token()).startsWith("FSHR:shm:");
        Path file = dir.resolve(block.token().substring("FSHR:shm:".length()));
        assertThat(block.size()).isEqualTo(file.toFile().length()).isGreaterThan(10);
        try (BlockFile opened = BlockFile.open(writer.blockDirectory(),
                new BlockName(block.token().substring("FSHR:shm:".length())))) {
            assertThat(opened.preamble().header().hasExpiry()).isFalse();
        }
        block.close();
        assertThat(file).doesNotExist();
        block.close();
        assertThat(block.isClosed()).isTrue();
    }

    @Test
    void loadDeserialisesOncePerTemplateUntilCleared() {
        CountingCodec codec = new CountingCodec();
        SharedMemoryTemplate writer = template(SharedMemoryTemplate.builder().codec(new CountingCodec()));
        SharedMemoryTemplate reader = template(SharedMemoryTemplate.builder().codec(codec));
        try (SharedBlock block = writer.share(new Blob("b", new byte[] {1, 2, 3}))) {
            Blob first = reader.load(block.token(), Blob.class);
            for (int i = 0; i < 10; i++) {
                assertThat(reader.load(block.token(), Blob.class)).isSameAs(first);
            }
            assertThat(codec.decodes).hasValue(1);
            assertThat(reader.cachedCount()).isEqualTo(1);

            reader.clearCache();
            assertThat(reader.cachedCount()).isZero();
            Blob again = reader.load(block.token(), Blob.class);
            assertThat(again).isNotSameAs(first);
            assertThat(again.data()).containsExactly(1, 2, 3);
            assertThat(codec.decodes).hasValue(2);
        }
    }

    @Test
    void concurrentLoadsDeserialiseOnce() throws Exception {
        CountingCodec codec = new CountingCodec();
        SharedMemoryTemplate writer = template(SharedMemoryTemplate.builder().codec(new CountingCodec()));
        SharedMemoryTemplate reader = template(SharedMemoryTemplate.builder().codec(codec));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (SharedBlock block = writer.share(new Blob("b", new byte[4 << 20]))) {
            List<Callable<Blob>> loads = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                loads.add(() -> reader.load(block.token(), Blob.class));
            }
            List<Future<Blob>> results = pool.invokeAll(loads);
            Blob first = results.get(0).get();
            for (Future<Blob> result : results) {
                assertThat(result.get()).isSameAs(first);
            }
            assertThat(codec.decodes).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void loadedValuesOutliveTheBlockAndNewLoadsFail() {
        SharedMemoryTemplate writer = template(SharedMemoryTemplate.builder());
        SharedMemoryTemplate reader = template(SharedMemoryTemplate.builder());
        Map<String, double[]> columns = Map.of("a", new double[100_000], "b", new double[] {1, 2});
        SharedBlock block = writer.share(columns);
        TypeReference<Map<String, double[]>> type = new TypeReference<>() { };
        Map<String, double[]> loaded = reader.load(block.token(), type);
        block.close();

        assertThat(reader.load(block.token(), type)).isSameAs(loaded);
        assertThat(loaded.get("b")).containsExactly(1, 2);
        reader.clearCache();
        assertThatThrownBy(() -> reader.load(block.token(), type)).isInstanceOf(BlockNotFoundException.class);
        assertThatThrownBy(() -> template(SharedMemoryTemplate.builder()).load(block.token(), type))
                .isInstanceOf(BlockNotFoundException.class);
        assertThat(reader.cachedCount()).isZero();
    }

    @Test
    void closingTheTemplateReleasesSharedBlocks() {
        SharedMemoryTemplate writer = SharedMemoryTemplate.builder().directory(dir = TestDirs.blockDir(tempDir)).build();
        SharedBlock block = writer.share(new int[1000]);
        writer.close();
        assertThat(dir.resolve(block.token().substring(9))).doesNotExist();
        block.close();
    }

    @Test
    void oneWriterFourReaderProcessesLoadTheSame128MiB() {
        SharedMemoryTemplate writer = template(SharedMemoryTemplate.builder());
        Embeddings embeddings = Embeddings.make(128L << 20, 256, 42);
        long checksum = embeddings.checksum();
        SharedBlock block = writer.share(embeddings);
        assertThat(block.size()).isGreaterThan(128L << 20);

        List<ChildJvm> readers = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                readers.add(ChildJvm.start(List.of("-Xmx768m"), BroadcastReaderMain.class, dir.toString(),
                        block.token()));
            }
            for (ChildJvm reader : readers) {
                assertThat(reader.awaitLine("LOADED ", Duration.ofSeconds(120))).isEqualTo(checksum + " once");
            }
            block.close();
            for (ChildJvm reader : readers) {
                reader.send("CHECK");
            }
            for (ChildJvm reader : readers) {
                assertThat(reader.awaitLine("AFTER ", Duration.ofSeconds(60))).isEqualTo(checksum + " gone");
                assertThat(reader.awaitExit(Duration.ofSeconds(30))).isZero();
            }
        } finally {
            readers.forEach(ChildJvm::close);
        }
    }
}
