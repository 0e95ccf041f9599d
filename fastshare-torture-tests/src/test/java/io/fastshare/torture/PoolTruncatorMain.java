package io.fastshare.torture;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.store.pool.PoolLayout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Child JVM for {@link PoolTruncatedSegmentTest}: publishes two 1 MiB pooled blocks, opens one, has
 * {@code truncate(1)} cut its segment file to the given size while this JVM maps it, then goes
 * through every library entry point a reader has and prints one {@code OUTCOME <call> <outcome>}
 * line each ({@code OK}, {@code WRONG}, {@code FSE:<exception>}, {@code VIOLATION:<throwable>}), and
 * {@code ALIVE} at the end. Arguments: block directory, truncated size.
 */
public final class PoolTruncatorMain {

    private PoolTruncatorMain() {
    }

    /**
     * Runs the scenario.
     *
     * @param args block directory, size to cut the segment to
     * @throws Exception when {@code truncate} cannot run
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long size = Long.parseLong(args[1]);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0)
                .poolSize(32L << 20).build()) {
            String first = template.write(CheckedPayload.make(1 << 20, 1));
            String second = template.write(CheckedPayload.make(1 << 20, 2));
            SharedPayload opened = template.open(first);
            String segment = first.substring("FSHR:pool:".length(), first.indexOf('.'));
            Commands.Result cut = Commands.run("truncate", "-s", Long.toString(size),
                    dir.resolve(PoolLayout.DIRECTORY).resolve(segment).toString());
            System.out.println("TRUNCATED " + cut.exitCode() + " " + cut.output());
            report("value", () -> verdict(opened.value(byte[].class), 1));
            report("read", () -> verdict(template.read(second, byte[].class), 2));
            report("read-opened-block", () -> verdict(template.read(first, byte[].class), 1));
            report("read-untyped", () -> verdict((byte[]) template.read(second), 2));
            report("open", () -> {
                try (SharedPayload again = template.open(second)) {
                    return verdict(again.value(byte[].class), 2);
                }
            });
            report("take", () -> verdict(template.take(second, byte[].class), 2));
            report("release", () -> String.valueOf(template.release(first)));
            report("close-opened", () -> {
                opened.close();
                return "OK";
            });
            report("blocks", () -> "OK " + template.blocks().size());
            report("cleanup", () -> "OK " + template.cleanup(CleanupOptions.defaults().withGrace(Duration.ZERO))
                    .cleaned().size());
        }
        System.out.println("ALIVE");
    }

    private static String verdict(byte[] bytes, long seed) {
        return CheckedPayload.verify(bytes, seed) ? "OK" : "WRONG";
    }

    private static void report(String call, Callable<String> action) {
        System.out.println("OUTCOME " + call + " " + PoolPeerMain.outcome(() -> {
            try {
                return action.call();
            } catch (InternalError e) {
                e.printStackTrace();
                throw e;
            }
        }));
        System.out.flush();
    }
}
