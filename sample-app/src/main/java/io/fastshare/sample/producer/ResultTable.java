package io.fastshare.sample.producer;

import io.fastshare.sample.api.HandoffPath;

import java.util.List;
import java.util.Locale;

/**
 * Renders demo results as a fixed-width text table, fastshare rows next to the HTTP rows, with the
 * speed-up of each path over the octet-stream path. Stateless and thread-safe.
 */
final class ResultTable {

    private static final String ROW = "%-30s %6s %9s %9s %9s %11s %17s %9s%n";

    private ResultTable() {
    }

    /**
     * Renders the table.
     *
     * @param rounds measured rounds per path
     * @param sizes results per payload size
     * @return the table, several lines
     */
    static String render(int rounds, List<SizeReport> sizes) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "fastshare sample: producer -> consumer, two JVM processes on one host;"
                + " %d measured rounds per path after 1 warm-up, rounds interleaved; medians in ms%n", rounds));
        for (SizeReport size : sizes) {
            out.append(String.format(Locale.ROOT, "%npayload: %s float[] (%,d vectors x %d dims) + metadata%n",
                    mib(size.bytes()), size.vectors(), size.dimensions()));
            out.append(String.format(Locale.ROOT, ROW, "path", "token", "write", "read", "verify", "end-to-end",
                    "(min..max)", "vs octet"));
            long octet = size.paths().stream().filter(p -> p.path() == HandoffPath.OCTET_STREAM)
                    .mapToLong(PathSummary::endToEndMedianNanos).findFirst().orElse(0);
            for (PathSummary path : size.paths()) {
                out.append(String.format(Locale.ROOT, ROW, path.path().label() + (path.failures() > 0
                                ? " CHECKSUM FAILED x" + path.failures() : ""),
                        path.tokenKind(),
                        path.path().viaSharedMemory() ? ms(path.writeMedianNanos()) : "-",
                        ms(path.readMedianNanos()), ms(path.verifyMedianNanos()), ms(path.endToEndMedianNanos()),
                        "(" + ms(path.endToEndMinNanos()) + ".." + ms(path.endToEndMaxNanos()) + ")",
                        octet > 0 ? String.format(Locale.ROOT, "%.1fx", (double) octet / path.endToEndMedianNanos())
                                : "-"));
            }
        }
        out.append(String.format(Locale.ROOT, "%n"
                + "write      = producer: the HTTP converter's SharedMemoryTemplate.write() of the float[] into a block%n"
                + "read       = consumer: from the request's arrival to a usable float[] (take: the converter's heap copy;%n"
                + "             view: a SharedPayload, pages are read during verify; HTTP: body transfer + decoding);%n"
                + "             the converter releases the block when the request is done, after the answer%n"
                + "verify     = consumer: checksum over every float (heap array, or the shared-memory view)%n"
                + "end-to-end = producer: from before write/serialisation to the consumer's answer (includes the HTTP call)%n"
                + "vs octet   = octet-stream end-to-end median / this path's end-to-end median%n"));
        return out.toString();
    }

    private static String ms(long nanos) {
        double millis = nanos / 1e6;
        return millis >= 100 ? String.format(Locale.ROOT, "%.0f", millis) : String.format(Locale.ROOT, "%.1f", millis);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
