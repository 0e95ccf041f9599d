package io.fastshare.format;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Name of a block file: {@code FSHR_} followed by 32 lower-case hex digits (128 random bits). The
 * strict pattern is what keeps a token from naming any file outside the block directory: a name
 * that passes it has no separators, no dots and no room for anything but a block.
 *
 * @param value the file name
 */
public record BlockName(String value) {

    /** Prefix of every block file name, shared with the Python original. */
    public static final String PREFIX = "FSHR_";
    /** Length of a valid name. */
    public static final int LENGTH = PREFIX.length() + 32;

    private static final Pattern PATTERN = Pattern.compile("FSHR_[0-9a-f]{32}");

    /**
     * Validates the name.
     *
     * @param value the file name
     *
     * @throws IllegalArgumentException when {@code value} does not match the block name pattern
     */
    public BlockName {
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a block name (FSHR_ + 32 lower-case hex digits): " + value);
        }
    }

    /**
     * Tells whether a string is a valid block name.
     *
     * @param value candidate, may be null
     * @return true when it matches {@code FSHR_[0-9a-f]{32}}
     */
    public static boolean isValid(String value) {
        return value != null && value.length() == LENGTH && PATTERN.matcher(value).matches();
    }

    /**
     * Draws a fresh name with 128 bits of randomness.
     *
     * @param random a cryptographically strong source
     * @return the new name
     */
    public static BlockName random(SecureRandom random) {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        return new BlockName(PREFIX + HexFormat.of().formatHex(bits));
    }

    @Override
    public String toString() {
        return value;
    }
}
