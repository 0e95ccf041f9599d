package io.fastshare.bench;

import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads JMH's JSON result file (sample-time mode) into {@link Result}s: the median, minimum, 90th
 * percentile and maximum of every benchmark and parameter combination, in nanoseconds. Stateless.
 */
public final class JmhResults {

    private static final Map<String, String> NAMES = Map.of(
            "fastshareWriteReadCopy", "fastshare write+read(copy)",
            "fastshareWriteOpenView", "fastshare write+open(view)",
            "fastshareFileWriteReadCopy", "fastshare file-block write+read(copy)",
            "fastshareFileWriteOpenView", "fastshare file-block write+open(view)",
            "objectStreamRoundTrip", "ObjectStream round trip",
            "jsonRoundTrip", "Jackson JSON round trip",
            "floorArraycopy", "floor: System.arraycopy",
            "floorRefillFaultedMapping", "floor: refill of a faulted mapping",
            "fastshareInlineWriteRead", "fastshare inline write+read",
            "plainBase64WriteRead", "plain encoder (base64url) write+read");

    private JmhResults() {
    }

    /**
     * Reads one JMH JSON file; a missing file gives no results.
     *
     * @param file the {@code -rf json} output
     * @param suite suite name for the rows
     * @return results
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public static List<Result> read(Path file, String suite) {
        List<Result> results = new ArrayList<>();
        if (!Files.exists(file)) {
            return results;
        }
        JsonNode root = Json.MAPPER.readTree(file.toFile());
        for (JsonNode run : root) {
            String benchmark = run.get("benchmark").asString();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            String operation = NAMES.getOrDefault(method, method);
            JsonNode params = run.get("params");
            long bytes = Sizes.parse(params.get("size").asString());
            String type = PayloadType.valueOf(params.get("type").asString()).label();
            if (PayloadType.valueOf(params.get("type").asString()) == PayloadType.FLOATS) {
                bytes = bytes / 4 * 4;
            }
            JsonNode metric = run.get("primaryMetric");
            double toNanos = unitToNanos(metric.get("scoreUnit").asString());
            JsonNode percentiles = metric.get("scorePercentiles");
            int samples = 0;
            JsonNode histograms = metric.get("rawDataHistogram");
            if (histograms != null) {
                for (JsonNode fork : histograms) {
                    for (JsonNode iteration : fork) {
                        for (JsonNode bucket : iteration) {
                            samples += bucket.get(1).asInt();
                        }
                    }
                }
            }
            Stats stats = new Stats(samples, percentiles.get("50.0").asDouble() * toNanos,
                    percentiles.get("0.0").asDouble() * toNanos, percentiles.get("90.0").asDouble() * toNanos,
                    percentiles.get("100.0").asDouble() * toNanos);
            results.add(new Result(suite, operation, type, bytes, stats));
        }
        return results;
    }

    private static double unitToNanos(String unit) {
        return switch (unit) {
            case "ns/op" -> 1;
            case "us/op" -> 1e3;
            case "ms/op" -> 1e6;
            case "s/op" -> 1e9;
            default -> throw new IllegalArgumentException("unexpected JMH unit " + unit);
        };
    }
}
