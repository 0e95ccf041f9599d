package io.fastshare.store.redis;

import io.fastshare.BlockNotFoundException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.store.redis.testing.RedisTemplates;
import io.fastshare.store.redis.testing.RedisTestSupport;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child JVM: a consumer on "another host". Prints {@code READY}, then for each token line on standard
 * input takes it and prints {@code TOOK <token> <first float>} or {@code LOST <token>}; stops at an
 * empty line and prints {@code DONE}.
 *
 * <p>Arguments: key prefix, block directory.
 */
public final class RedisTakerMain {

    private RedisTakerMain() {
    }

    /**
     * Runs the taker.
     *
     * @param args prefix, block directory
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        LettuceConnectionFactory factory = RedisTestSupport.shared();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (SharedMemoryTemplate template = RedisTemplates.reader(factory, args[0], Path.of(args[1]))) {
            System.out.println("READY");
            System.out.flush();
            String token;
            while ((token = in.readLine()) != null && !token.isEmpty()) {
                try {
                    float[] value = template.take(token, float[].class);
                    System.out.println("TOOK " + token + " " + value[0] + " " + value.length);
                } catch (BlockNotFoundException e) {
                    System.out.println("LOST " + token);
                }
                System.out.flush();
            }
        } finally {
            factory.destroy();
        }
        System.out.println("DONE");
        System.out.flush();
    }
}
