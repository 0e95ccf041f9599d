package io.fastshare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Child JVM of {@link TakeGuaranteeTest}: takes every token of a file, in order, and prints
 * {@code DONE <one letter per token> <interruptions>}: {@code T} taken (and verified), {@code G} gone
 * (the other process took it). In mode {@code interrupting} each take runs on a thread that is
 * interrupted at a random moment and retried after an {@link InterruptedFastShareException}.
 * Anything else, a wrong payload included, ends the JVM with exit code 1.
 */
public final class InterruptingTakerMain {

    private InterruptingTakerMain() {
    }

    /**
     * Runs the taker.
     *
     * @param args block directory, token file, mode ({@code calm} or {@code interrupting})
     * @throws Exception on any unexpected failure
     */
    public static void main(String[] args) throws Exception {
        List<String> tokens = Files.readAllLines(Path.of(args[1]));
        boolean interrupting = args[2].equals("interrupting");
        StringBuilder outcomes = new StringBuilder();
        int interruptions = 0;
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(Path.of(args[0])).build()) {
            // Both takers start together, so their takes overlap.
            System.out.println("READY");
            System.out.flush();
            new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
                    .readLine();
            for (int i = 0; i < tokens.size(); i++) {
                float[] expected = TakeGuaranteeTest.floats(1 << 20, 1000 + i);
                while (true) {
                    Object result = interrupting ? interruptedTake(template, tokens.get(i))
                            : attempt(template, tokens.get(i));
                    if (result instanceof InterruptedFastShareException) {
                        interruptions++;
                        continue;
                    }
                    if (result instanceof BlockNotFoundException) {
                        outcomes.append('G');
                    } else if (result instanceof float[] taken && java.util.Arrays.equals(taken, expected)) {
                        outcomes.append('T');
                    } else {
                        System.err.println("token " + i + ": unexpected outcome " + result);
                        if (result instanceof Throwable failure) {
                            failure.printStackTrace();
                        }
                        System.exit(1);
                    }
                    break;
                }
            }
        }
        System.out.println("DONE " + outcomes + " " + interruptions);
        System.out.flush();
    }

    private static Object attempt(SharedMemoryTemplate template, String token) {
        try {
            return template.take(token, float[].class);
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static Object interruptedTake(SharedMemoryTemplate template, String token) throws InterruptedException {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread taker = new Thread(() -> result.set(attempt(template, token)));
        taker.start();
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(3_000_000));
        taker.interrupt();
        taker.join();
        return result.get();
    }
}
