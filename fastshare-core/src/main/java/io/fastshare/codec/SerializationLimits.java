package io.fastshare.codec;

import java.util.Locale;

/**
 * Bounds on what one Java deserialisation may build, enforced by the {@link JavaSerializationCodec}'s
 * {@link java.io.ObjectInputFilter} before anything is allocated: nesting depth, number of object
 * references, array length and stream bytes. They stop the classic deserialisation bombs that use only
 * allowed classes: nested {@code HashSet}s whose hash codes take 2<sup>depth</sup> steps to compute,
 * deeply nested arrays that overflow the reading thread's stack, and arrays that claim billions of
 * elements.
 *
 * <p>The defaults follow the JDK's own RMI registry filter for depth ({@value #DEFAULT_MAX_DEPTH}): deep
 * enough for DTOs holding collections of DTOs several levels down, shallow enough that a set bomb costs
 * at most about a million hash steps. Use the JDK filter syntax to change them, as in
 * {@code maxdepth=40;maxrefs=5000000} (see {@link #parse}).
 *
 * @param maxDepth deepest nesting of objects in the stream
 * @param maxReferences most object references (objects, arrays, strings and back-references)
 * @param maxArrayLength longest array; an array is also refused when it claims more elements than the
 *     stream has bytes
 * @param maxBytes longest stream, in bytes
 */
public record SerializationLimits(long maxDepth, long maxReferences, long maxArrayLength, long maxBytes) {

    /** Default {@link #maxDepth()}. */
    public static final long DEFAULT_MAX_DEPTH = 20;
    /** Default {@link #maxReferences()}. */
    public static final long DEFAULT_MAX_REFERENCES = 1_000_000;
    /** Default {@link #maxArrayLength()}. */
    public static final long DEFAULT_MAX_ARRAY_LENGTH = 100_000_000;
    /** Default {@link #maxBytes()}: 1 GiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    /**
     * Validates the limits.
     *
     * @param maxDepth deepest object graph nesting
     * @param maxReferences most object references in one stream
     * @param maxArrayLength longest array
     * @param maxBytes most bytes read from one stream
     * @throws IllegalArgumentException when a limit is not positive
     */
    public SerializationLimits {
        if (maxDepth <= 0 || maxReferences <= 0 || maxArrayLength <= 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("serialisation limits must be positive: maxdepth=" + maxDepth
                    + ";maxrefs=" + maxReferences + ";maxarray=" + maxArrayLength + ";maxbytes=" + maxBytes);
        }
    }

    /**
     * Returns the default limits.
     *
     * @return {@code maxdepth=20;maxrefs=1000000;maxarray=100000000;maxbytes=1073741824}
     */
    public static SerializationLimits defaults() {
        return new SerializationLimits(DEFAULT_MAX_DEPTH, DEFAULT_MAX_REFERENCES, DEFAULT_MAX_ARRAY_LENGTH,
                DEFAULT_MAX_BYTES);
    }

    /**
     * Parses limits in the syntax of the JDK's {@code jdk.serialFilter}: {@code ;}-separated
     * {@code maxdepth=}, {@code maxrefs=}, {@code maxarray=} and {@code maxbytes=} entries. Limits not
     * named keep their defaults.
     *
     * @param spec such as {@code maxdepth=40;maxarray=1000000}; blank for the defaults
     * @return the limits
     * @throws IllegalArgumentException when an entry is not one of the four limits with a positive number
     */
    public static SerializationLimits parse(String spec) {
        SerializationLimits limits = defaults();
        for (String entry : spec.split(";")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            long value;
            try {
                value = eq < 0 ? -1 : Long.parseLong(trimmed.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                value = -1;
            }
            String key = eq < 0 ? trimmed : trimmed.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (value <= 0) {
                throw new IllegalArgumentException("not a serialisation limit: '" + trimmed
                        + "' (expected maxdepth=N, maxrefs=N, maxarray=N or maxbytes=N, N > 0)");
            }
            limits = switch (key) {
                case "maxdepth" -> new SerializationLimits(value, limits.maxReferences, limits.maxArrayLength,
                        limits.maxBytes);
                case "maxrefs" -> new SerializationLimits(limits.maxDepth, value, limits.maxArrayLength,
                        limits.maxBytes);
                case "maxarray" -> new SerializationLimits(limits.maxDepth, limits.maxReferences, value,
                        limits.maxBytes);
                case "maxbytes" -> new SerializationLimits(limits.maxDepth, limits.maxReferences,
                        limits.maxArrayLength, value);
                default -> throw new IllegalArgumentException("not a serialisation limit: '" + trimmed
                        + "' (expected maxdepth=N, maxrefs=N, maxarray=N or maxbytes=N, N > 0)");
            };
        }
        return limits;
    }

    @Override
    public String toString() {
        return "maxdepth=" + maxDepth + ";maxrefs=" + maxReferences + ";maxarray=" + maxArrayLength + ";maxbytes="
                + maxBytes;
    }
}
