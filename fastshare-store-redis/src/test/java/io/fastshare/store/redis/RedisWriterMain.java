package io.fastshare.store.redis;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.store.redis.testing.RedisTemplates;
import io.fastshare.store.redis.testing.RedisTestSupport;
import io.fastshare.store.redis.testing.TestBlocks;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child JVM: writes a float[] of the given byte size to Redis with a seed, prints {@code TOKEN <token>},
 * waits for a line on standard input, closes, prints {@code CLOSED}. With {@code hang} as fourth
 * argument it prints {@code CHUNKS <block name>} after storing the chunks and never commits (the test
 * kills it).
 *
 * <p>Arguments: key prefix, block directory, payload bytes, [hang].
 */
public final class RedisWriterMain {

    private RedisWriterMain() {
    }

    /**
     * Runs the writer.
     *
     * @param args prefix, block directory, bytes, optionally {@code hang}
     * @throws Exception on failure (the test sees the exit code and standard error)
     */
    public static void main(String[] args) throws Exception {
        String prefix = args[0];
        Path dir = Path.of(args[1]);
        int bytes = Integer.parseInt(args[2]);
        boolean hang = args.length > 3 && args[3].equals("hang");
        LettuceConnectionFactory factory = RedisTestSupport.shared();
        try (SharedMemoryTemplate template = RedisTemplates.writer(factory, prefix, dir, name -> {
            if (hang) {
                System.out.println("CHUNKS " + name.value());
                System.out.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        })) {
            String token = template.write(TestBlocks.floats(bytes / 4, 42));
            System.out.println("TOKEN " + token);
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } finally {
            factory.destroy();
        }
        System.out.println("CLOSED");
        System.out.flush();
    }
}
