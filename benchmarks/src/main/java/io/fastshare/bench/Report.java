package io.fastshare.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Turns the raw outputs of one run (headline CSV, JMH JSON, cross-process CSV, machine description)
 * into one combined CSV and a Markdown report: the targets with met / not met, then one table per
 * suite with medians, spread (min to 90th percentile) and the ratio of each alternative's median to
 * fastshare's (above 1: fastshare is faster). Not thread-safe.
 */
public final class Report {

    static final String FS_COPY = "fastshare write+read(copy)";
    static final String FS_VIEW = "fastshare write+open(view)";
    static final String OOS = "ObjectStream round trip";
    static final String JSON = "Jackson JSON round trip";
    static final String ARRAYCOPY = "floor: System.arraycopy";
    static final String REFILL = "floor: refill of a faulted mapping";
    static final String FS_FILE_COPY = "fastshare file-block write+read(copy)";
    static final String FS_FILE_VIEW = "fastshare file-block write+open(view)";
    static final String X_COPY = "fastshare file-block copy (token over Unix socket)";
    static final String X_VIEW = "fastshare file-block view (token over Unix socket)";
    static final String X_POOL_COPY = "fastshare pool copy (token over Unix socket)";
    static final String X_POOL_VIEW = "fastshare pool view (token over Unix socket)";
    static final String X_LOAN = "fastshare loan view, fill excluded (token over Unix socket)";
    static final String X_ONE_COPY = "System.arraycopy floor (one copy, one process)";
    static final String X_TWO_COPIES = "two arraycopies + allocation floor (one process)";
    static final String X_IDLE_PING = "token round trip after the loan's fill (floor)";
    static final String X_TCP = "TCP loopback stream";
    static final String X_UDS = "Unix domain socket stream";
    static final String X_OCTET = "HTTP octet-stream (RestClient to Boot)";
    static final String X_JSON = "HTTP JSON (RestClient to Boot)";
    static final String X_REDIS = "fastshare via Redis (token over Unix socket)";
    static final String INLINE = "fastshare inline write+read";
    static final String PLAIN = "plain encoder (base64url) write+read";
    static final String PY_VIEW = "python fastshare write+read(view)+release";
    static final String PY_COPY = "python fastshare write+read(copy)+release";
    static final String PY_PICKLE = "python pickle round trip (dumps+loads)";
    static final String PY_TO_JAVA = "python->java fastshare write+take(copy)";
    static final String PY_TO_JAVA_UDS = "python->java Unix socket stream";
    static final String JAVA_TO_PY_VIEW = "java->python fastshare write+take(view)";
    static final String JAVA_TO_PY_COPY = "java->python fastshare write+take(copy)";
    static final String JAVA_TO_PY_UDS = "java->python Unix socket stream";

    private final List<Result> results;
    private final StringBuilder md = new StringBuilder();

    private Report(List<Result> results) {
        this.results = results;
    }

    /**
     * Writes {@code results.csv} and {@code results.md} into {@code out} from the raw files in {@code raw}.
     *
     * @param raw directory with headline.csv, cross.csv, jmh-*.json and machine.md
     * @param out output directory
     * @param mode run mode, for the title
     * @throws UncheckedIOException when a file cannot be read or written
     */
    public static void write(Path raw, Path out, String mode) {
        List<Result> all = new ArrayList<>();
        all.addAll(CsvFile.read(raw.resolve("headline.csv")));
        try (Stream<Path> files = Files.list(raw)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("jmh-") && name.endsWith(".json")) {
                    all.addAll(JmhResults.read(file, name.startsWith("jmh-inline") ? "jmh-inline" : "jmh"));
                }
            }
            all.addAll(CsvFile.read(raw.resolve("cross.csv")));
            if (Files.exists(raw.resolve("python.csv"))) {
                all.addAll(CsvFile.read(raw.resolve("python.csv")));
            }
            CsvFile.write(out.resolve("results.csv"), all);
            String machine = Files.exists(raw.resolve("machine.md"))
                    ? Files.readString(raw.resolve("machine.md"), StandardCharsets.UTF_8) : "(machine not recorded)\n";
            Report report = new Report(all);
            report.render(machine, mode);
            Files.writeString(out.resolve("results.md"), report.md.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report", e);
        }
    }

    private void render(String machine, String mode) {
        line("# fastshare benchmark results (" + mode + " run)");
        line("");
        line("Generated by `benchmarks/run.sh --" + mode + "`; raw numbers in `results.csv` (all times in ns). "
                + "See `benchmarks/README.md` for how each number is measured and how to read the tables.");
        line("");
        md.append(machine).append('\n');
        line("Cells: median, and in brackets the spread from the fastest sample to the 90th percentile. "
                + "Ratios: the alternative's median divided by fastshare's, so **above 1x fastshare is faster**, "
                + "below 1x it is slower. Sizes are decimal (1 MB = 10^6 bytes).");
        line("");
        targets();
        singleProcess();
        crossProcess();
        inline();
        python();
        headline();
    }

    private void targets() {
        line("## Targets");
        line("");
        line("The pooled store's targets (issue 11) first, then those of the first release.");
        line("");
        line("| target | measured | met |");
        line("|---|---|---|");
        long hundred = 100_000_000;
        for (String type : List.of("float[]", "byte[]")) {
            ratioTarget("100 MB " + type + " across two processes, pool view >= 3x faster than the Unix domain socket stream",
                    find("cross", X_POOL_VIEW, type, hundred), find("cross", X_UDS, type, hundred), 3);
            floorTarget("100 MB " + type + " pool view within 1.5x of one System.arraycopy (same run)",
                    find("cross", X_POOL_VIEW, type, hundred), find("cross", X_ONE_COPY, type, hundred), 1.5);
            ratioTarget("100 MB " + type + " across two processes, pool copy >= the Unix domain socket stream",
                    find("cross", X_POOL_COPY, type, hundred), find("cross", X_UDS, type, hundred), 1);
            floorTarget("100 MB " + type + " pool copy within 1.5x of two arraycopies + allocation (same run)",
                    find("cross", X_POOL_COPY, type, hundred), find("cross", X_TWO_COPIES, type, hundred), 1.5);
            ratioTarget("1 MB " + type + " across two processes, pool copy >= the Unix domain socket stream",
                    find("cross", X_POOL_COPY, type, 1_000_000), find("cross", X_UDS, type, 1_000_000), 1);
            ratioTarget("1 MB " + type + " across two processes, pool view >= the Unix domain socket stream",
                    find("cross", X_POOL_VIEW, type, 1_000_000), find("cross", X_UDS, type, 1_000_000), 1);
        }
        ratioTarget("100 MB float[] single process, write+read(copy) (defaults: pool) >= 5x faster than the ObjectStream "
                + "round trip", find("jmh", FS_COPY, "float[]", hundred), find("jmh", OOS, "float[]", hundred), 5);
        ratioTarget("100 MB byte[] single process, write+read(copy) (defaults: pool) >= 2x faster than the ObjectStream "
                + "round trip", find("jmh", FS_COPY, "byte[]", hundred), find("jmh", OOS, "byte[]", hundred), 2);
        loanTarget();
        for (String type : List.of("byte[]", "float[]")) {
            ratioTarget("(first release) 100 MB " + type + " across two processes, file-block copy >= 5x faster than "
                    + "the Unix domain socket stream",
                    find("cross", X_COPY, type, hundred), find("cross", X_UDS, type, hundred), 5);
            ratioTarget("(first release) 100 MB " + type + " across two processes, file-block copy >= 20x faster than "
                    + "JSON over HTTP", find("cross", X_COPY, type, hundred), find("cross", X_JSON, type, hundred), 20);
        }
        openTarget("fastshare open()", "(first release) `open()` of a 1 GB block < 100 us, flat in size (median)");
        openTarget("python fastshare open()", "Python `open()` of a 1 GB block in microseconds (< 1 ms), flat in size (median)");
        Optional<Result> pickle = find("python", PY_PICKLE, "float[]", hundred);
        if (pickle.isPresent()) {
            ratioTarget("100 MB float32 Python write+read(view) >= 3x faster than the pickle round trip",
                    find("python", PY_VIEW, "float[]", hundred), pickle, 3);
            ratioTarget("(not a target) 100 MB float32 Python write+read(copy) vs the pickle round trip",
                    find("python", PY_COPY, "float[]", hundred), pickle, 3);
        }
        for (String type : types()) {
            find("jmh-inline", INLINE, type, 1000).ifPresent(r ->
                    line("| 1 KB " + type + " inline write+read < 5 us (median) | " + Sizes.time(r.stats().median())
                            + " | " + (r.stats().median() < 5_000 ? "yes" : "**no**") + " |"));
        }
        line("");
    }

    /** Loan handoffs of every size measured: each median under 100 us, and flat (largest within 2x of smallest). */
    private void loanTarget() {
        List<Result> loans = results.stream().filter(r -> r.suite().equals("cross") && r.operation().equals(X_LOAN))
                .sorted(java.util.Comparator.comparingLong(Result::bytes)).toList();
        if (loans.isEmpty()) {
            line("| loan, fill excluded, to a reader's open() view: < 100 us, flat in size | not measured in this run | - |");
            return;
        }
        StringBuilder measured = new StringBuilder();
        boolean under = true;
        for (Result loan : loans) {
            measured.append(loan.type()).append(' ').append(Sizes.label(loan.bytes())).append(": ")
                    .append(Sizes.time(loan.stats().median())).append("; ");
            under &= loan.stats().median() < 100_000;
        }
        double smallest = loans.stream().mapToDouble(r -> r.stats().median()).min().orElse(1);
        double largest = loans.stream().mapToDouble(r -> r.stats().median()).max().orElse(1);
        boolean flat = largest <= 2 * smallest;
        line("| loan, fill excluded, to a reader's open() view: < 100 us, flat in size (largest median within 2x of the "
                + "smallest) | " + measured + " | " + (under && flat ? "yes" : "**no**") + (under ? "" : " (not under 100 us)")
                + (flat ? "" : " (not flat)") + " |");
    }

    /** fastshare's median at most {@code limit} times the floor's. */
    private void floorTarget(String target, Optional<Result> fastshare, Optional<Result> floor, double limit) {
        if (fastshare.isEmpty() || floor.isEmpty()) {
            line("| " + target + " | not measured in this run | - |");
            return;
        }
        double times = fastshare.get().stats().median() / floor.get().stats().median();
        line("| " + target + " | " + Sizes.time(fastshare.get().stats().median()) + " vs "
                + Sizes.time(floor.get().stats().median()) + ": " + String.format(Locale.ROOT, "%.2fx the floor", times)
                + " | " + (times <= limit ? "yes" : "**no**") + " |");
    }

    private void openTarget(String operation, String target) {
        List<Result> opens = results.stream().filter(r -> r.operation().equals(operation)).toList();
        if (opens.isEmpty()) {
            return;
        }
        StringBuilder measured = new StringBuilder();
        boolean met = true;
        for (Result open : opens) {
            measured.append(Sizes.label(open.bytes())).append(": ").append(Sizes.time(open.stats().median())).append("; ");
            met &= open.stats().median() < (operation.startsWith("python") ? 1_000_000 : 100_000);
        }
        line("| " + target + " | " + measured + " | " + (met ? "yes" : "**no**") + " |");
    }

    private void ratioTarget(String target, Optional<Result> fastshare, Optional<Result> other, double goal) {
        if (fastshare.isEmpty() || other.isEmpty()) {
            line("| " + target + " | not measured in this run | - |");
            return;
        }
        double ratio = other.get().stats().median() / fastshare.get().stats().median();
        line("| " + target + " | " + Sizes.time(fastshare.get().stats().median()) + " vs "
                + Sizes.time(other.get().stats().median()) + ": " + ratio(ratio) + " | "
                + (ratio >= goal ? "yes" : "**no**") + " |");
    }

    private void singleProcess() {
        line("## Single process (JMH, sample-time mode)");
        line("");
        line("fastshare through `SharedMemoryTemplate` with default settings: below the threshold the payload "
                + "travels inline in the token, above it through a pooled block (a reused, already-faulted slot in "
                + "/dev/shm). The file-block columns are the same template with the pool off (`poolSize(0)`): a fresh "
                + "block file per write. Blocks are released after each invocation, outside the measured time.");
        line("");
        for (String type : types()) {
            List<Long> sizes = sizes("jmh", type);
            if (sizes.isEmpty()) {
                continue;
            }
            line("### " + type);
            line("");
            line("| size | fastshare copy | fastshare view | file-block copy | file-block view | ObjectStream | JSON "
                    + "| arraycopy (floor) | faulted refill (floor) | copy vs ObjectStream | copy vs JSON "
                    + "| view vs ObjectStream | copy / arraycopy |");
            line("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            for (long size : sizes) {
                Optional<Result> copy = find("jmh", FS_COPY, type, size);
                Optional<Result> view = find("jmh", FS_VIEW, type, size);
                Optional<Result> oos = find("jmh", OOS, type, size);
                Optional<Result> json = find("jmh", JSON, type, size);
                Optional<Result> floor = find("jmh", ARRAYCOPY, type, size);
                line("| " + Sizes.label(size) + " | " + cell(copy) + " | " + cell(view) + " | "
                        + cell(find("jmh", FS_FILE_COPY, type, size)) + " | " + cell(find("jmh", FS_FILE_VIEW, type, size))
                        + " | " + cell(oos) + " | " + cell(json) + " | " + cell(floor) + " | "
                        + cell(find("jmh", REFILL, type, size)) + " | " + ratio(oos, copy) + " | " + ratio(json, copy)
                        + " | " + ratio(oos, view) + " | " + slowdown(copy, floor) + " |");
            }
            line("");
        }
    }

    private void crossProcess() {
        line("## Two processes (harness: second JVM, time from the sender starting to the receiver holding the data)");
        line("");
        line("Pool rows: a writer template with the pool on; file-block rows: the pool off (a fresh block file per "
                + "handoff). Both with the default inline threshold, so payloads below it travel in the token. The loan "
                + "row fills a pool slot in place (fill time excluded) and the reader opens a view. The floors run in this "
                + "process in the same run. Ratio cells read `copy / view`: the alternative's median over fastshare "
                + "pool copy's, and over pool view's.");
        line("");
        for (String type : types()) {
            List<Long> sizes = sizes("cross", type);
            if (sizes.isEmpty()) {
                continue;
            }
            line("### " + type);
            line("");
            line("| size | pool copy | pool view | loan view | token round trip after the fill (floor) | file-block copy "
                    + "| file-block view | Unix socket stream "
                    + "| TCP stream | HTTP octet-stream | HTTP JSON | one arraycopy (floor) | two arraycopies + alloc (floor) "
                    + "| vs Unix socket | vs TCP | vs HTTP octet | vs HTTP JSON |");
            line("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            for (long size : sizes) {
                Optional<Result> copy = find("cross", X_POOL_COPY, type, size);
                Optional<Result> view = find("cross", X_POOL_VIEW, type, size);
                StringBuilder row = new StringBuilder("| " + Sizes.label(size));
                for (String operation : List.of(X_POOL_COPY, X_POOL_VIEW, X_LOAN, X_IDLE_PING, X_COPY, X_VIEW, X_UDS, X_TCP, X_OCTET,
                        X_JSON, X_ONE_COPY, X_TWO_COPIES)) {
                    row.append(" | ").append(cell(find("cross", operation, type, size)));
                }
                for (String other : List.of(X_UDS, X_TCP, X_OCTET, X_JSON)) {
                    Optional<Result> alternative = find("cross", other, type, size);
                    row.append(" | ").append(ratio(alternative, copy)).append(" / ").append(ratio(alternative, view));
                }
                line(row + " |");
            }
            line("");
        }
        acrossHosts();
    }

    /** The Redis store against the local store and HTTP octet-stream; absent when no Redis answered. */
    private void acrossHosts() {
        if (results.stream().noneMatch(r -> r.suite().equals("cross") && r.operation().equals(X_REDIS))) {
            line("(No \"fastshare via Redis\" rows: no Redis answered when the harness ran.)");
            line("");
            return;
        }
        line("### Across hosts: fastshare via Redis (Redis on this host, so loopback network)");
        line("");
        line("Ratio cells: the other transport's median over the Redis store's (below 1: the Redis store is slower).");
        line("");
        line("| type | size | fastshare via Redis | fastshare copy (local store) | HTTP octet-stream | local vs Redis "
                + "| HTTP octet vs Redis |");
        line("|---|---|---|---|---|---|---|");
        for (String type : types()) {
            for (long size : sizes("cross", type)) {
                Optional<Result> redis = find("cross", X_REDIS, type, size);
                if (redis.isEmpty()) {
                    continue;
                }
                Optional<Result> local = find("cross", X_POOL_COPY, type, size);
                Optional<Result> octet = find("cross", X_OCTET, type, size);
                line("| " + type + " | " + Sizes.label(size) + " | " + cell(redis) + " | " + cell(local) + " | "
                        + cell(octet) + " | " + ratio(local, redis) + " | " + ratio(octet, redis) + " |");
            }
        }
        line("");
    }

    private void inline() {
        List<Result> rows = results.stream().filter(r -> r.suite().equals("jmh-inline")).toList();
        if (rows.isEmpty()) {
            return;
        }
        line("## Small payloads: the inline path (JMH)");
        line("");
        line("| type | size | fastshare inline write+read | plain encoder (base64url) | ObjectStream | inline vs plain | inline vs ObjectStream |");
        line("|---|---|---|---|---|---|---|");
        for (String type : types()) {
            for (long size : sizes("jmh-inline", type)) {
                Optional<Result> inline = find("jmh-inline", INLINE, type, size);
                Optional<Result> plain = find("jmh-inline", PLAIN, type, size);
                Optional<Result> oos = find("jmh-inline", OOS, type, size);
                line("| " + type + " | " + Sizes.label(size) + " | " + cell(inline) + " | " + cell(plain) + " | " + cell(oos)
                        + " | " + ratio(plain, inline) + " | " + ratio(oos, inline) + " |");
            }
        }
        line("");
    }

    private void python() {
        List<Result> rows = results.stream().filter(r -> r.suite().equals("python")).toList();
        if (rows.isEmpty()) {
            return;
        }
        line("## Python interop (`benchmarks/python/python_bench.py`: float32 arrays, Python and a Java peer process)");
        line("");
        line("Every operation ends with the receiver holding the data: a numpy array (a read-only view of the "
                + "shared mapping, or a private copy) or a Java `float[]`. Across processes the token travels over a "
                + "pipe; the socket stream sends the array's bytes over a Unix domain socket into a preallocated buffer.");
        line("");
        line("| size | operation | median (min - p90) | vs |");
        line("|---|---|---|---|");
        for (long size : sizes("python", "float[]")) {
            String label = Sizes.label(size);
            Optional<Result> pickle = find("python", PY_PICKLE, "float[]", size);
            Optional<Result> toJavaUds = find("python", PY_TO_JAVA_UDS, "float[]", size);
            Optional<Result> toPythonUds = find("python", JAVA_TO_PY_UDS, "float[]", size);
            pythonRow(label, PY_VIEW, size, pickle, "pickle");
            pythonRow(label, PY_COPY, size, pickle, "pickle");
            pythonRow(label, PY_PICKLE, size, Optional.empty(), "");
            pythonRow(label, "python fastshare write", size, Optional.empty(), "");
            pythonRow(label, "python fastshare read(view)", size, Optional.empty(), "");
            pythonRow(label, "python fastshare open() of the block", size, Optional.empty(), "");
            pythonRow(label, "python fastshare open()", size, Optional.empty(), "");
            pythonRow(label, PY_TO_JAVA, size, toJavaUds, "Unix socket");
            pythonRow(label, PY_TO_JAVA_UDS, size, Optional.empty(), "");
            pythonRow(label, JAVA_TO_PY_VIEW, size, toPythonUds, "Unix socket");
            pythonRow(label, JAVA_TO_PY_COPY, size, toPythonUds, "Unix socket");
            pythonRow(label, JAVA_TO_PY_UDS, size, Optional.empty(), "");
        }
        line("");
    }

    private void pythonRow(String size, String operation, long bytes, Optional<Result> baseline, String against) {
        Optional<Result> result = find("python", operation, "float[]", bytes);
        if (result.isPresent()) {
            line("| " + size + " | " + operation + " | " + cell(result) + " | "
                    + (baseline.isPresent() ? ratio(baseline, result) + " vs " + against : "") + " |");
        }
    }

    private void headline() {
        List<Result> rows = results.stream().filter(r -> r.suite().equals("headline")).toList();
        if (rows.isEmpty()) {
            return;
        }
        line("## Where the time goes (single process, phases timed apart; `open()` latency by block size)");
        line("");
        line("| operation | type | size | median | spread (min - p90) | GB/s at median | samples |");
        line("|---|---|---|---|---|---|---|");
        for (Result r : rows) {
            line(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s - %s | %.2f | %d |", r.operation(), r.type(),
                    Sizes.label(r.bytes()), Sizes.time(r.stats().median()), Sizes.time(r.stats().min()),
                    Sizes.time(r.stats().p90()), r.stats().gigabytesPerSecond(r.bytes()), r.stats().samples()));
        }
        line("");
    }

    private Set<String> types() {
        Set<String> types = new LinkedHashSet<>();
        types.add("byte[]");
        types.add("float[]");
        types.add("Embeddings");
        return types;
    }

    private List<Long> sizes(String suite, String type) {
        Set<Long> sizes = new TreeSet<>();
        for (Result r : results) {
            if (r.suite().equals(suite) && r.type().equals(type)) {
                sizes.add(normalise(r.bytes()));
            }
        }
        return new ArrayList<>(sizes);
    }

    private Optional<Result> find(String suite, String operation, String type, long size) {
        return results.stream().filter(r -> r.suite().equals(suite) && r.operation().equals(operation)
                && r.type().equals(type) && normalise(r.bytes()) == size).findFirst();
    }

    /** float[] payloads are rounded down to whole elements; group them with the nominal size. */
    private static long normalise(long bytes) {
        long rounded = (bytes + 3) / 4 * 4;
        for (long nominal : new long[] {1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000}) {
            if (bytes == nominal || rounded == nominal) {
                return nominal;
            }
        }
        return bytes;
    }

    private static String cell(Optional<Result> result) {
        return result.map(r -> Sizes.time(r.stats().median()) + " (" + Sizes.time(r.stats().min()) + " - "
                + Sizes.time(r.stats().p90()) + ")").orElse("-");
    }

    private static String ratio(Optional<Result> other, Optional<Result> fastshare) {
        if (other.isEmpty() || fastshare.isEmpty()) {
            return "-";
        }
        return ratio(other.get().stats().median() / fastshare.get().stats().median());
    }

    private static String slowdown(Optional<Result> fastshare, Optional<Result> floor) {
        if (fastshare.isEmpty() || floor.isEmpty()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1fx slower", fastshare.get().stats().median() / floor.get().stats().median());
    }

    private static String ratio(double ratio) {
        String text = ratio >= 10 ? String.format(Locale.ROOT, "%.0fx", ratio) : String.format(Locale.ROOT, "%.2fx", ratio);
        return ratio >= 1 ? "**" + text + "**" : text;
    }

    private void line(String text) {
        md.append(text).append('\n');
    }
}
