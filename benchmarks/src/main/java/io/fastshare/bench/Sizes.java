package io.fastshare.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parsing and printing of payload sizes and durations. Sizes are decimal as in the issue
 * (1 KB = 1000 bytes, 100 MB = 100,000,000 bytes) except that a {@code KiB/MiB/GiB} suffix is binary.
 * Stateless.
 */
public final class Sizes {

    private Sizes() {
    }

    /**
     * Parses a size such as {@code 1KB}, {@code 100MB}, {@code 1GB}, {@code 64MiB} or {@code 4096}.
     *
     * @param text the size
     * @return bytes
     * @throws IllegalArgumentException when it is not a size
     */
    public static long parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        String[][] units = {{"KIB", "1024"}, {"MIB", "1048576"}, {"GIB", "1073741824"}, {"KB", "1000"},
            {"MB", "1000000"}, {"GB", "1000000000"}, {"B", "1"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length()).trim();
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(t), unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: " + text, e);
        }
    }

    /**
     * Parses a comma-separated list of sizes.
     *
     * @param text for example {@code 1KB,1MB,100MB}
     * @return the sizes in order
     */
    public static List<Long> parseList(String text) {
        List<Long> sizes = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                sizes.add(parse(part));
            }
        }
        return sizes;
    }

    /**
     * Prints a size the way the issue names them.
     *
     * @param bytes size
     * @return for example {@code 100 MB}
     */
    public static String label(long bytes) {
        if (bytes >= 1_000_000_000 && bytes % 1_000_000_000 == 0) {
            return bytes / 1_000_000_000 + " GB";
        }
        if (bytes >= 1_000_000 && bytes % 1_000_000 == 0) {
            return bytes / 1_000_000 + " MB";
        }
        if (bytes >= 1000 && bytes % 1000 == 0) {
            return bytes / 1000 + " KB";
        }
        return bytes + " B";
    }

    /**
     * Prints a duration with a sensible unit.
     *
     * @param nanos nanoseconds
     * @return for example {@code 12.3 ms}
     */
    public static String time(double nanos) {
        if (nanos >= 1e9) {
            return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
        }
        if (nanos >= 1e6) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        if (nanos >= 1e3) {
            return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f ns", nanos);
    }
}
