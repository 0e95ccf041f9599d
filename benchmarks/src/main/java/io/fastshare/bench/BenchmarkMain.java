package io.fastshare.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of the benchmarks jar. Sub-commands:
 * <ul>
 *   <li>{@code headline [--size 100MB] [--warmups 3] [--iterations 10] [--open-sizes 1MB,100MB,1GB] [--csv FILE]}:
 *       single-process write/read/open numbers at one size, with the time split by phase;</li>
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
            System.err.println("usage: headline|jmh [options]; see benchmarks/README.md");
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "headline" -> headline(new Options(rest));
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            default -> {
                System.err.println("unknown sub-command: " + args[0]);
                System.exit(2);
            }
        }
    }

    private static void headline(Options options) {
        Headline headline = new Headline(options.getInt("warmups", 3), options.getInt("iterations", 10));
        long size = Sizes.parse(options.get("size", "100MB"));
        for (PayloadType type : PayloadType.values()) {
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
