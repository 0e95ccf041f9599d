package io.fastshare.torture;

import io.fastshare.BlockNotFoundException;
import io.fastshare.FastShareException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.WriteOptions;
import io.fastshare.cleanup.CleanupOptions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A second process with a pooled template of its own, for the pool torture tests, driven by lines
 * on standard input; every command answers with one line:
 * <pre>
 * WRITE size seed checksum   write a self-verifying payload       -> TOKEN token
 * RELEASE token              release                              -> RELEASED true|false|outcome
 * READ token seed            read(byte[])                         -> READ outcome
 * TAKE token seed            take(byte[])                         -> TAKE outcome
 * OPEN token seed            open, verify the view, keep it open  -> OPEN outcome
 * CLOSEALL                   close every open payload             -> CLOSED n
 * CLEANUP                    cleanup with grace 0                 -> CLEANED outcome
 * EXIT                       close the template and exit
 * </pre>
 * An outcome is {@code OK} (the payload of that seed), {@code FOREIGN} (another intact payload),
 * {@code WRONG} (damaged bytes), {@code NOTFOUND}, {@code FSE:<exception>} or
 * {@code VIOLATION:<throwable>}. Arguments: block directory, pool size in bytes, pool idle timeout in
 * milliseconds.
 */
public final class PoolPeerMain {

    private PoolPeerMain() {
    }

    /**
     * Serves commands until EXIT or end of input.
     *
     * @param args block directory, pool size, idle timeout in milliseconds
     * @throws Exception when standard input fails
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<SharedPayload> open = new ArrayList<>();
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0)
                .poolSize(Long.parseLong(args[1])).poolIdleTimeout(Duration.ofMillis(Long.parseLong(args[2])))
                .build()) {
            System.out.println("READY " + template.ownerId().toHex());
            String line;
            while ((line = in.readLine()) != null) {
                String[] parts = line.split(" ");
                switch (parts[0]) {
                    case "WRITE" -> System.out.println("TOKEN " + template.write(
                            CheckedPayload.make(Integer.parseInt(parts[1]), Long.parseLong(parts[2])),
                            WriteOptions.defaults().checksum(Boolean.parseBoolean(parts[3]))));
                    case "RELEASE" -> System.out.println("RELEASED " + outcome(() -> String.valueOf(
                            template.release(parts[1]))));
                    case "READ" -> System.out.println("READ " + outcome(() -> verdict(
                            template.read(parts[1], byte[].class), Long.parseLong(parts[2]))));
                    case "TAKE" -> System.out.println("TAKE " + outcome(() -> verdict(
                            template.take(parts[1], byte[].class), Long.parseLong(parts[2]))));
                    case "OPEN" -> System.out.println("OPEN " + outcome(() -> {
                        SharedPayload payload = template.open(parts[1]);
                        open.add(payload);
                        ByteBuffer view = payload.value(ByteBuffer.class);
                        long seed = Long.parseLong(parts[2]);
                        return CheckedPayload.verify(view, seed) ? "OK" : CheckedPayload.verify(view) ? "FOREIGN" : "WRONG";
                    }));
                    case "CLOSEALL" -> {
                        open.forEach(SharedPayload::close);
                        System.out.println("CLOSED " + open.size());
                        open.clear();
                    }
                    case "CLEANUP" -> System.out.println("CLEANED " + outcome(() -> String.valueOf(
                            template.cleanup(CleanupOptions.defaults().withGrace(Duration.ZERO)).cleaned().size())));
                    case "EXIT" -> {
                        open.forEach(SharedPayload::close);
                        return;
                    }
                    default -> System.out.println("UNKNOWN " + line);
                }
                System.out.flush();
            }
        }
    }

    /**
     * Judges bytes read for a token whose payload seed is known.
     *
     * @param bytes what the read returned
     * @param seed the seed announced with the token
     * @return {@code OK}, {@code FOREIGN} or {@code WRONG}
     */
    static String verdict(byte[] bytes, long seed) {
        if (CheckedPayload.verify(bytes, seed)) {
            return "OK";
        }
        return CheckedPayload.verify(bytes) ? "FOREIGN" : "WRONG";
    }

    /**
     * Runs a call and names its outcome.
     *
     * @param call the call
     * @return its value, {@code NOTFOUND}, {@code FSE:<exception>} or {@code VIOLATION:<throwable>}
     */
    static String outcome(Callable<String> call) {
        try {
            return call.call();
        } catch (BlockNotFoundException e) {
            return "NOTFOUND";
        } catch (FastShareException e) {
            return "FSE:" + e.getClass().getSimpleName();
        } catch (Throwable e) {
            return "VIOLATION:" + e.getClass().getName() + ":" + String.valueOf(e.getMessage()).replace(' ', '_');
        }
    }
}
