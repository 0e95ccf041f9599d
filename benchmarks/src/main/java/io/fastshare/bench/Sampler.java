package io.fastshare.bench;

/**
 * Runs an operation for warm-up rounds, then for timed rounds, and summarises the timed ones.
 * Each round times itself ({@link Round#run()} returns the nanoseconds of its timed section), so work
 * that must not count, such as releasing a block, can run in the same round outside the timed part.
 *
 * <p>Stateless and thread-safe; rounds run on the calling thread.
 */
public final class Sampler {

    /** One round of a measurement. */
    @FunctionalInterface
    public interface Round {
        /**
         * Runs one round.
         *
         * @return nanoseconds of the timed section
         * @throws Exception whatever the operation throws; it aborts the measurement
         */
        long run() throws Exception;
    }

    private final int warmups;
    private final int iterations;

    /**
     * Creates a sampler.
     *
     * @param warmups untimed rounds first (JIT, page cache, heap sizing)
     * @param iterations timed rounds
     * @throws IllegalArgumentException when iterations is not positive or warmups negative
     */
    public Sampler(int warmups, int iterations) {
        if (iterations < 1 || warmups < 0) {
            throw new IllegalArgumentException("warmups " + warmups + ", iterations " + iterations);
        }
        this.warmups = warmups;
        this.iterations = iterations;
    }

    /**
     * Measures an operation.
     *
     * @param round the operation
     * @return the timings of the timed rounds
     * @throws IllegalStateException wrapping whatever a round throws
     */
    public Stats measure(Round round) {
        try {
            for (int i = 0; i < warmups; i++) {
                round.run();
            }
            long[] nanos = new long[iterations];
            for (int i = 0; i < iterations; i++) {
                nanos[i] = round.run();
            }
            return Stats.of(nanos);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("measurement failed: " + e, e);
        }
    }

    /**
     * Returns the number of timed rounds.
     *
     * @return iterations
     */
    public int iterations() {
        return iterations;
    }
}
