package io.fastshare.torture;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The load one process puts on fastshare: worker threads that write self-verifying payloads of mixed
 * sizes (1 KiB to 64 MiB) and then read, open, release or take them, or hand them to the peer process
 * to take. Every payload read is verified; any exception or wrong payload counts as an error. Used by
 * {@link LoadTest} in the test JVM and by {@link LoadWorkerMain} in the peer JVM.
 *
 * <p>Thread-safe: counters are atomic, the inbound queue is concurrent.
 */
final class LoadWorkers {

    private static final int KIB = 1024;

    private final SharedMemoryTemplate template;
    private final long seed;
    private final int threads;
    private final Consumer<String> handOff;
    private final BlockingQueue<String> inbound = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private final List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopping;

    final AtomicLong operations = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong handedOff = new AtomicLong();
    final AtomicLong taken = new AtomicLong();
    final AtomicLong verified = new AtomicLong();

    /**
     * Creates the workers.
     *
     * @param template the process's template
     * @param seed seed of the threads' random sources
     * @param threads number of worker threads
     * @param handOff sends a token to the peer process
     */
    LoadWorkers(SharedMemoryTemplate template, long seed, int threads, Consumer<String> handOff) {
        this.template = template;
        this.seed = seed;
        this.threads = threads;
        this.handOff = handOff;
    }

    /**
     * Queues a handoff from the peer, to be taken by a worker.
     *
     * @param handoff {@code <token> <payload seed>}, as this class hands off
     */
    void receive(String handoff) {
        inbound.add(handoff);
    }

    /** Starts the worker threads. */
    void start() {
        SplittableRandom root = new SplittableRandom(seed);
        for (int t = 0; t < threads; t++) {
            SplittableRandom random = root.split();
            Thread thread = new Thread(() -> run(random), "load-worker-" + t);
            thread.setDaemon(true);
            workers.add(thread);
            thread.start();
        }
    }

    /**
     * Stops the workers and waits for them; no token is handed off after this returns.
     *
     * @throws InterruptedException when interrupted
     */
    void stop() throws InterruptedException {
        stopping = true;
        for (Thread worker : workers) {
            worker.join(120_000);
        }
    }

    /** Takes every token still queued, as the workers would have. */
    void drainInbound() {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        String handoff;
        while ((handoff = inbound.poll()) != null) {
            takeAndVerify(handoff, random);
        }
    }

    List<String> errorSamples() {
        return errorSamples;
    }

    private void run(SplittableRandom random) {
        while (!stopping) {
            try {
                int roll = random.nextInt(100);
                if (roll < 30) {
                    String handoff = inbound.poll(1, TimeUnit.MILLISECONDS);
                    if (handoff != null) {
                        takeAndVerify(handoff, random);
                        continue;
                    }
                }
                long seed = random.nextLong();
                byte[] payload = CheckedPayload.make(size(random), seed);
                String token = template.write(payload);
                count(payload.length);
                if (roll >= 70 && payload.length <= 8 << 20) {
                    handedOff.incrementAndGet();
                    // The payload's identity travels with its token, so the taker can tell its own
                    // payload from another block's intact one.
                    handOff.accept(token + " " + seed);
                } else {
                    useLocally(token + " " + seed, random);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) {
                error("worker: " + e);
            }
        }
    }

    private void useLocally(String handoff, SplittableRandom random) {
        String token = tokenOf(handoff);
        long seed = seedOf(handoff);
        switch (random.nextInt(4)) {
            case 0 -> {
                check(template.read(token, byte[].class), token, seed);
                template.release(token);
                operations.incrementAndGet();
            }
            case 1 -> {
                try (SharedPayload opened = template.open(token)) {
                    ByteBuffer view = opened.value(ByteBuffer.class);
                    count(view.remaining());
                    if (!CheckedPayload.verify(view, seed)) {
                        error("wrong payload through open() of " + token);
                    } else {
                        verified.incrementAndGet();
                    }
                }
                template.release(token);
                operations.incrementAndGet();
            }
            case 2 -> takeAndVerify(handoff, random);
            default -> {
                check(template.read(token, byte[].class), token, seed);
                check(template.take(token, byte[].class), token, seed);
            }
        }
    }

    private void takeAndVerify(String handoff, SplittableRandom random) {
        String token = tokenOf(handoff);
        try {
            check(template.take(token, byte[].class), token, seedOf(handoff));
            taken.incrementAndGet();
        } catch (Throwable e) {
            error("take of " + token.substring(0, Math.min(60, token.length())) + ": " + e);
        }
    }

    private static String tokenOf(String handoff) {
        return handoff.substring(0, handoff.indexOf(' '));
    }

    private static long seedOf(String handoff) {
        return Long.parseLong(handoff.substring(handoff.indexOf(' ') + 1));
    }

    private void check(byte[] payload, String token, long seed) {
        count(payload.length);
        if (CheckedPayload.verify(payload, seed)) {
            verified.incrementAndGet();
        } else {
            error("wrong payload for " + token.substring(0, Math.min(60, token.length())));
        }
    }

    private void count(long payloadBytes) {
        operations.incrementAndGet();
        bytes.addAndGet(payloadBytes);
    }

    private void error(String what) {
        errors.incrementAndGet();
        if (errorSamples.size() < 20) {
            errorSamples.add(what);
        }
    }

    /** 1 KiB to 64 MiB, mostly small: 60% up to 64 KiB, 30% up to 1 MiB, 8% up to 8 MiB, 2% up to 64 MiB. */
    private static int size(SplittableRandom random) {
        int roll = random.nextInt(100);
        if (roll < 60) {
            return KIB + random.nextInt(63 * KIB);
        }
        if (roll < 90) {
            return 64 * KIB + random.nextInt(960 * KIB);
        }
        if (roll < 98) {
            return (1 << 20) + random.nextInt(7 << 20);
        }
        return (8 << 20) + random.nextInt(56 << 20);
    }
}
