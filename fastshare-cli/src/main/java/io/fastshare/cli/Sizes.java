package io.fastshare.cli;

import java.util.Locale;

/**
 * Prints byte counts for people: {@code 512 B}, {@code 1.5 KiB}, {@code 256.0 MiB}.
 *
 * <p>Stateless and thread-safe.
 */
final class Sizes {

    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

    private Sizes() {
    }

    /**
     * Formats a byte count with a binary unit.
     *
     * @param bytes the count
     * @return the text
     */
    static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
