package io.fastshare.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of the benchmarks jar. Sub-commands:
 * <ul>
 *   <li>{@code headline [--size 100MB] [--warmups 3] [--iterations 10] [--open-sizes 1MB,100MB,1GB] [--csv FILE]}:
 *       single-process write/read/open numbers at one size, with the time split by phase;</li>
 *   <li>{@code cross [--sizes 1KB,1MB,100MB] [--types BYTES,FLOATS,EMBEDDINGS] [--peer-heap 4g] [--case-budget 20]
 *       [--json-max 100MB] [--csv FILE]}: transfers between two JVMs against sockets and HTTP;</li>
 *   <li>{@code overlap [--size 100MB] [--chunk 1MB] [--rounds 15]}: the overlapped-copy prototype
 *       ({@link io.fastshare.bench.cross.OverlapPrototype});</li>
 *   <li>{@code report [--raw DIR] [--out DIR] [--mode quick|full]}: combines the raw outputs into
 *       results.csv and results.md;</li>
 *   <li>{@code jmh ARGS...}: JMH's own command line ({@code org.openjdk.jmh.Main}).</li>
 * </ul>
 * Not thread-safe.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    /**
     * Runs a sub-command.
     *
     * @param args sub-command and its options
     * @throws Exception when a benchmark fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: headline|cross|overlap|report|jmh [options]; see benchmarks/README.md");
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "headline" -> headline(new Options(rest));
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            case "cross" -> cross(new Options(rest));
            case "overlap" -> {
                Options options = new Options(rest);
                io.fastshare.bench.cross.OverlapPrototype.run(Sizes.parse(options.get("size", "100MB")),
                        Math.toIntExact(Sizes.parse(options.get("chunk", "1MB"))), options.getInt("rounds", 15));
            }
            case "report" -> {
                Options options = new Options(rest);
                Report.write(Path.of(options.get("raw", "benchmarks/results/tmp")),
                        Path.of(options.get("out", "benchmarks/results")), options.get("mode", "quick"));
            }
            default -> {
                System.err.println("unknown sub-command: " + args[0]);
                System.exit(2);
            }
        }
    }

    private static void cross(Options options) throws Exception {
        List<Long> sizes = Sizes.parseList(options.get("sizes", "1KB,1MB,100MB"));
        List<PayloadType> types = Arrays.stream(options.get("types", "BYTES,FLOATS,EMBEDDINGS").split(","))
                .map(PayloadType::valueOf).toList();
        try (io.fastshare.bench.cross.CrossProcess cross = new io.fastshare.bench.cross.CrossProcess(
                options.get("peer-heap", "4g"), options.getInt("case-budget", 20),
                Sizes.parse(options.get("json-max", "100MB")))) {
            cross.warmUpJit();
            for (PayloadType type : types) {
                for (long size : sizes) {
                    cross.measure(type, size);
                    if (options.has("csv")) {
                        CsvFile.write(Path.of(options.get("csv", "")), cross.results());
                    }
                }
            }
        }
    }

    private static void headline(Options options) {
        Headline headline = new Headline(options.getInt("warmups", 3), options.getInt("iterations", 10));
        long size = Sizes.parse(options.get("size", "100MB"));
        for (PayloadType type : List.of(PayloadType.BYTES, PayloadType.FLOATS)) {
            headline.bulk(type, size);
        }
        List<Long> openSizes = Sizes.parseList(options.get("open-sizes", "1MB,100MB,1GB"));
        for (long openSize : openSizes) {
            headline.openLatency(openSize);
        }
        for (Result result : headline.results()) {
            System.out.println(result.describe());
        }
        if (options.has("csv")) {
            CsvFile.write(Path.of(options.get("csv", "")), headline.results());
        }
    }
}
