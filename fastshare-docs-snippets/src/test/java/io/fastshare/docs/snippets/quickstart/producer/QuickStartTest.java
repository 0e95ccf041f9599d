package io.fastshare.docs.snippets.quickstart.producer;

import io.fastshare.TestDirs;
import io.fastshare.docs.snippets.quickstart.consumer.ConsumerApplication;
import io.fastshare.docs.snippets.quickstart.consumer.VectorIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the README Quick start as written: the consumer and the producer services start as two Spring Boot
 * applications on random ports (one JVM, two contexts, one block directory), the producer posts a payload
 * above the inline threshold as {@code application/vnd.fastshare.token}, and the consumer gets it out of
 * shared memory.
 */
class QuickStartTest {

    @Test
    void producerHandsVectorsToConsumerThroughSharedMemory(@TempDir Path tempDir) throws IOException {
        Path blocks = TestDirs.blockDir(tempDir);
        float[] vectors = new float[1_000_000];   // 4 MB: over the 1 MB threshold, so a shared-memory block
        Random random = new Random(16);
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = random.nextFloat();
        }

        try (ConfigurableApplicationContext consumer = start(ConsumerApplication.class, blocks);
             ConfigurableApplicationContext producer = start(ProducerApplication.class, blocks,
                     "--consumer.url=http://localhost:" + consumer.getEnvironment().getProperty("local.server.port"))) {
            producer.getBean(Producer.class).send(vectors);

            assertThat(consumer.getBean(VectorIndex.class).added()).singleElement().isEqualTo(vectors);
            assertThat(blockFiles(blocks)).as("the exchange over, the request's block is released").isEmpty();
        }
        TestDirs.assertNoBlocks(blocks);
    }

    private static List<Path> blockFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("FSHR_")).toList();
        }
    }

    private static ConfigurableApplicationContext start(Class<?> application, Path blocks, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--server.port=0";
        all[1] = "--fastshare.directory=" + blocks;
        System.arraycopy(args, 0, all, 2, args.length);
        return new SpringApplicationBuilder(application).run(all);
    }
}
