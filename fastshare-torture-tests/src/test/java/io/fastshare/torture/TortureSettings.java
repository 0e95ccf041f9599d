package io.fastshare.torture;

import java.security.SecureRandom;

/**
 * Run settings of the torture suite, from system properties set by the module's pom:
 * {@code -Dtorture.long=true} selects the long campaign, {@code -Dtorture.seed=N} replays a run.
 *
 * <p>Thread-safe (immutable static state).
 */
final class TortureSettings {

    private static final long RUN_SEED = chooseSeed();

    private TortureSettings() {
    }

    /**
     * Tells whether the long campaign was asked for.
     *
     * @return true with {@code -Dtorture.long=true}
     */
    static boolean longMode() {
        return Boolean.parseBoolean(System.getProperty("torture.long", "false"));
    }

    /**
     * Picks a budget for the current mode.
     *
     * @param normal value of the default, bounded run
     * @param longRun value of the long campaign
     * @return one of the two
     */
    static int budget(int normal, int longRun) {
        return longMode() ? longRun : normal;
    }

    /**
     * Returns the seed of this run: {@code -Dtorture.seed} when given, else a fresh random one. Every
     * test derives its own seed from it and prints it, so a failure can be replayed exactly.
     *
     * @return the run seed
     */
    static long runSeed() {
        return RUN_SEED;
    }

    /**
     * Derives the seed of one test from the run seed and prints how to replay it.
     *
     * @param test a stable test label
     * @return the test's seed
     */
    static long seedFor(String test) {
        long seed = RUN_SEED ^ (test.hashCode() * 0x9E3779B97F4A7C15L);
        System.out.println("TORTURE " + test + ": run seed " + RUN_SEED + " (replay with -Dtorture.seed=" + RUN_SEED
                + "), long mode " + longMode());
        return seed;
    }

    private static long chooseSeed() {
        String given = System.getProperty("torture.seed", "").trim();
        if (!given.isEmpty()) {
            return Long.parseLong(given);
        }
        return new SecureRandom().nextLong();
    }
}
