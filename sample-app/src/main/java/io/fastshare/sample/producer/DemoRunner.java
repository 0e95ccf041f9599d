package io.fastshare.sample.producer;

import io.fastshare.sample.api.HandoffPath;
import io.fastshare.sample.payload.Embeddings;
import io.fastshare.sample.payload.EmbeddingsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the comparison: builds a batch per payload size, hands it over by every path once to warm up,
 * then {@code rounds} times per path with the paths interleaved (so slow drift of the machine hits
 * all paths alike), and summarises with medians. One run at a time: a run holds the payloads and the
 * consumer's copies, hundreds of MiB of heap.
 */
@Component
@Profile("producer")
class DemoRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoRunner.class);

    private static final List<HandoffPath> MAIN_PATHS =
            List.of(HandoffPath.TOKEN_TAKE, HandoffPath.TOKEN_VIEW, HandoffPath.OCTET_STREAM);

    private final HandoffRunner runner;

    DemoRunner(HandoffRunner runner) {
        this.runner = runner;
    }

    /**
     * Runs the demo.
     *
     * @param size payload size of the main comparison (token paths and octet-stream)
     * @param jsonSize payload size of the comparison that adds JSON; zero to skip it
     * @param rounds measured rounds per path, at least one
     * @return the report
     * @throws IllegalArgumentException when a size or the rounds are out of range
     * @throws RuntimeException when a handoff fails (consumer unreachable, shared memory full)
     */
    synchronized DemoReport run(DataSize size, DataSize jsonSize, int rounds) {
        if (rounds < 1 || rounds > 1000) {
            throw new IllegalArgumentException("rounds must be between 1 and 1000: " + rounds);
        }
        List<SizeRun> runs = new ArrayList<>();
        runs.add(runSize(size, MAIN_PATHS, rounds));
        if (jsonSize.toBytes() > 0) {
            List<HandoffPath> withJson = new ArrayList<>(MAIN_PATHS);
            withJson.add(HandoffPath.JSON);
            runs.add(runSize(jsonSize, withJson, rounds));
        }
        List<SizeReport> sizes = runs.stream().map(SizeRun::report).toList();
        boolean allOk = runs.stream().allMatch(run -> run.warmUpOk()
                && run.report().paths().stream().allMatch(path -> path.failures() == 0));
        String table = ResultTable.render(rounds, sizes);
        log.info("demo results:\n{}", table);
        return new DemoReport(rounds, sizes, allOk, table);
    }

    private SizeRun runSize(DataSize size, List<HandoffPath> paths, int rounds) {
        Embeddings embeddings = EmbeddingsFactory.ofSize(size.toBytes(), 42);
        log.info("payload {} bytes ({} vectors x {}): warm-up round", embeddings.byteSize(),
                embeddings.meta().count(), embeddings.meta().dimensions());
        boolean warmUpOk = true;
        for (HandoffPath path : paths) {
            warmUpOk &= runner.handOver(path, embeddings).checksumOk();
        }
        Map<HandoffPath, List<RoundResult>> results = new EnumMap<>(HandoffPath.class);
        for (int round = 1; round <= rounds; round++) {
            for (HandoffPath path : paths) {
                RoundResult result = runner.handOver(path, embeddings);
                results.computeIfAbsent(path, p -> new ArrayList<>()).add(result);
                log.info("round {} {}: end-to-end {} ms, checksum {}", round, path, result.endToEndNanos() / 1_000_000,
                        result.checksumOk() ? "ok" : "MISMATCH");
            }
        }
        List<PathSummary> summaries = new ArrayList<>();
        for (HandoffPath path : paths) {
            summaries.add(PathSummary.of(path, results.get(path)));
        }
        return new SizeRun(new SizeReport(embeddings.byteSize(), embeddings.meta().count(),
                embeddings.meta().dimensions(), summaries), warmUpOk);
    }

    /** One payload size's report, and whether its warm-up round delivered the right values too. */
    private record SizeRun(SizeReport report, boolean warmUpOk) {
    }
}
