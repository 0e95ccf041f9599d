package io.fastshare.format;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * 128-bit identity of a writer process (one per {@code SharedMemoryTemplate}). Recorded in every
 * block header and used as the name of the owner's lease file. Stored in a block as 16 bytes in the
 * order of its hex form, so {@code header[40:56].hex()} in Python gives {@link #toHex()}.
 *
 * @param high the first 8 bytes, big-endian
 * @param low the last 8 bytes, big-endian
 */
public record OwnerId(long high, long low) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{32}");
    private static final HexFormat HEX_FORMAT = HexFormat.of();

    /**
     * Draws a fresh random owner id.
     *
     * @param random the source of randomness; must be cryptographically strong
     * @return a new owner id
     */
    public static OwnerId random(SecureRandom random) {
        return new OwnerId(random.nextLong(), random.nextLong());
    }

    /**
     * Parses the 32-character lower-case hex form.
     *
     * @param hex the hex form
     * @return the owner id
     * @throws IllegalArgumentException when {@code hex} is not 32 lower-case hex digits
     */
    public static OwnerId parse(String hex) {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("not an owner id (32 lower-case hex digits): " + hex);
        }
        return new OwnerId(Long.parseUnsignedLong(hex.substring(0, 16), 16),
                Long.parseUnsignedLong(hex.substring(16), 16));
    }

    /**
     * Tells whether a string is the hex form of an owner id.
     *
     * @param hex candidate string
     * @return true when {@link #parse(String)} would accept it
     */
    public static boolean isValid(String hex) {
        return hex != null && HEX.matcher(hex).matches();
    }

    /**
     * Returns the 32-character lower-case hex form, used in lease file names and listings.
     *
     * @return the hex form
     */
    public String toHex() {
        return HEX_FORMAT.toHexDigits(high) + HEX_FORMAT.toHexDigits(low);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
