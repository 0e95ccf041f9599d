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
     * What a token may resolve to.
     *
     * @param damage what was done to the block behind it
     * @param expected the value of the undamaged block; compared with returned values when the damage
     *     is {@link MutantDamage#NEUTRAL}
     */
    record Expectation(MutantDamage damage, Object expected) {

        /** Only "no crash, no hang, only FastShareException" applies. */
        static final Expectation ANYTHING = new Expectation(MutantDamage.OTHER, null);
    }

    /**
     * Exercises a token whose outcome is unconstrained beyond "no crash, no hang".
     *
     * @param token the token, possibly malformed
     * @param input description of how it was made, for the report
     * @param finish take, release or neither at the end
     * @return true when the untyped read returned a value (the input was accepted as valid)
     */
    boolean exercise(String token, String input, Finish finish) {
        return exercise(token, input, finish, Expectation.ANYTHING);
    }

    /**
     * Exercises a token and checks every value returned against the expectation: a block whose
     * checksummed payload changed must never yield a value, and one whose change left the payload's
     * description intact must yield the undamaged value or fail.
     *
     * @param token the token, possibly malformed
     * @param input description of how it was made, for the report
     * @param finish take, release or neither at the end
     * @param expectation what the token may resolve to
     * @return true when the untyped read returned a value (the input was accepted as valid)
     */
    boolean exercise(String token, String input, Finish finish, Expectation expectation) {
        BoundedRunner.Outcome read = runner.run(() -> template.read(token));
        check("read", read, input, expectation);
        BoundedRunner.Outcome bytes = runner.run(() -> template.read(token, byte[].class));
        check("read(byte[])", bytes, input, expectation.expected() instanceof byte[] ? expectation
                : new Expectation(expectation.damage() == MutantDamage.NEUTRAL ? MutantDamage.OTHER
                        : expectation.damage(), null));
        BoundedRunner.Outcome opened = runner.run(() -> template.open(token));
        check("open", opened, input, new Expectation(expectation.damage() == MutantDamage.NEUTRAL
                ? MutantDamage.OTHER : expectation.damage(), null));
        if (opened.returned()) {
            SharedPayload payload = (SharedPayload) opened.value();
            try {
                check("value", runner.run(() -> payload.value(Object.class)), input, expectation);
                tally.record("view", runner.run(() -> readAllViews(payload)), input);
            } finally {
                payload.close();
            }
        }
        if (finish == Finish.TAKE) {
            check("take", runner.run(() -> template.take(token, Object.class)), input, expectation);
        } else if (finish == Finish.RELEASE) {
            tally.record("release", runner.run(() -> template.release(token)), input);
        }
        return read.returned();
    }

    private void check(String operation, BoundedRunner.Outcome outcome, String input, Expectation expectation) {
        if (!tally.record(operation, outcome, input) || !outcome.returned()) {
            return;
        }
        if (expectation.damage() == MutantDamage.CHECKSUMMED_PAYLOAD) {
            tally.violation(operation + " returned a value for a block whose checksummed payload was changed: "
                    + input);
        } else if (expectation.damage() == MutantDamage.NEUTRAL && expectation.expected() != null
                && !PayloadValues.same(expectation.expected(), outcome.value())) {
            tally.violation(operation + " returned a value other than the block's own for " + input);
        }
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
