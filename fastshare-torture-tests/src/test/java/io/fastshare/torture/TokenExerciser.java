package io.fastshare.torture;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;

import java.nio.ByteBuffer;

/**
 * Puts one token through every entry point a peer could reach with it: {@code read} (untyped and as
 * {@code byte[]}), {@code open} followed by {@code value()} and every {@code view(i)} (each view read
 * to the end), and finally {@code take} or {@code release}. Each call is bounded in time and its
 * outcome recorded in the tally.
 *
 * <p>Not thread-safe.
 */
final class TokenExerciser {

    private final SharedMemoryTemplate template;
    private final BoundedRunner runner;
    private final OutcomeTally tally;

    TokenExerciser(SharedMemoryTemplate template, BoundedRunner runner, OutcomeTally tally) {
        this.template = template;
        this.runner = runner;
        this.tally = tally;
    }

    /** How to finish with a token. */
    enum Finish {
        /** Neither take nor release (the token names a block the test still needs). */
        NONE,
        /** {@code take(token, Object.class)}. */
        TAKE,
        /** {@code release(token)}. */
        RELEASE
    }

    /**
     * Exercises a token.
     *
     * @param token the token, possibly malformed
     * @param input description of how it was made, for the report
     * @param finish take, release or neither at the end
     * @return true when the untyped read returned a value (the input was accepted as valid)
     */
    boolean exercise(String token, String input, Finish finish) {
        BoundedRunner.Outcome read = runner.run(() -> template.read(token));
        tally.record("read", read, input);
        tally.record("read(byte[])", runner.run(() -> template.read(token, byte[].class)), input);
        BoundedRunner.Outcome opened = runner.run(() -> template.open(token));
        tally.record("open", opened, input);
        if (opened.returned()) {
            SharedPayload payload = (SharedPayload) opened.value();
            try {
                tally.record("value", runner.run(() -> payload.value(Object.class)), input);
                tally.record("view", runner.run(() -> readAllViews(payload)), input);
            } finally {
                payload.close();
            }
        }
        if (finish == Finish.TAKE) {
            tally.record("take", runner.run(() -> template.take(token, Object.class)), input);
        } else if (finish == Finish.RELEASE) {
            tally.record("release", runner.run(() -> template.release(token)), input);
        }
        return read.returned();
    }

    private static long readAllViews(SharedPayload payload) {
        long sum = 0;
        byte[] chunk = new byte[8192];
        for (int i = 0; i < payload.buffers().size(); i++) {
            ByteBuffer view = payload.view(i);
            while (view.hasRemaining()) {
                int n = Math.min(chunk.length, view.remaining());
                view.get(chunk, 0, n);
                sum += chunk[0] + chunk[n - 1];
            }
        }
        return sum;
    }
}
