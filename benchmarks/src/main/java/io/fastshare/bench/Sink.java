package io.fastshare.bench;

import java.util.Arrays;

/**
 * Keeps results of timed operations reachable so the JIT cannot drop the work, and checks copies for
 * equality outside the timed sections. Thread-safe enough for single-threaded harnesses.
 */
public final class Sink {

    private static volatile Object last;

    private Sink() {
    }

    /**
     * Consumes a value.
     *
     * @param value anything
     */
    public static void consume(Object value) {
        last = value;
    }

    /**
     * Checks that a copy equals its original.
     *
     * @param expected the original array
     * @param actual the copy
     * @param what what produced the copy, for the message
     * @throws IllegalStateException when they differ: a benchmark of a broken transfer is worthless
     */
    public static void checkEqual(Object expected, Object actual, String what) {
        boolean equal;
        if (expected instanceof byte[] a && actual instanceof byte[] b) {
            equal = Arrays.equals(a, b);
        } else if (expected instanceof float[] a && actual instanceof float[] b) {
            equal = Arrays.equals(a, b);
        } else {
            equal = java.util.Objects.equals(expected, actual);
        }
        if (!equal) {
            throw new IllegalStateException(what + " returned a payload different from the original");
        }
    }

    /**
     * Returns the last consumed value, so the field is read at least once.
     *
     * @return last value
     */
    public static Object last() {
        return last;
    }
}
