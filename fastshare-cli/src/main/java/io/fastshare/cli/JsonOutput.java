package io.fastshare.cli;

import io.fastshare.cleanup.BlockDetails;
import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.cleanup.HumanDuration;
import io.fastshare.format.BlockPreamble;
import io.fastshare.format.BufferDescriptor;
import io.fastshare.format.HeaderPeek;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --json} output: one JSON document per command, with a stable schema documented in the
 * module's README. Times are ISO-8601 strings, sizes bytes; durations appear twice, as text for people
 * and as exact milliseconds for programs ({@code "age": "3m12s", "ageMillis": 192345}), as in the
 * actuator endpoint.
 *
 * <p>Thread-safe.
 */
final class JsonOutput {

    private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private JsonOutput() {
    }

    static String list(Path directory, List<BlockInfo> blocks) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("directory", directory.toString());
        List<Object> entries = new ArrayList<>();
        long bytes = 0;
        for (BlockInfo block : blocks) {
            entries.add(block(block));
            bytes += block.size();
        }
        document.put("count", blocks.size());
        document.put("bytes", bytes);
        document.put("blocks", entries);
        return write(document);
    }

    static String inspect(Path directory, BlockDetails details) {
        Map<String, Object> document = block(details.info());
        document.put("directory", directory.toString());
        HeaderPeek header = details.header();
        document.put("committed", header == null ? null : header.committed());
        document.put("problem", details.problem());
        BlockPreamble preamble = details.preamble();
        if (preamble != null) {
            document.put("codec", preamble.header().codecId());
            document.put("payloadChecksum", preamble.header().hasPayloadCrc());
            document.put("metadataLength", preamble.header().metadataLength());
            List<Object> buffers = new ArrayList<>();
            for (BufferDescriptor buffer : preamble.buffers()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("offset", buffer.offset());
                entry.put("length", buffer.length());
                entry.put("elementType", buffer.elementType().name());
                entry.put("shape", buffer.shape());
                buffers.add(entry);
            }
            document.put("buffers", buffers);
        }
        return write(document);
    }

    static String cleanup(Path directory, Duration grace, CleanupResult result) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("directory", directory.toString());
        document.put("dryRun", result.dryRun());
        document.put("grace", HumanDuration.format(grace));
        document.put("graceMillis", grace.toMillis());
        document.put("bytesReclaimed", result.bytesReclaimed());
        List<Object> cleaned = new ArrayList<>();
        for (CleanupResult.Reclaimed reclaimed : result.cleaned()) {
            cleaned.add(Map.of("name", reclaimed.name(), "state", reclaimed.state().name(), "size", reclaimed.size()));
        }
        document.put("cleaned", cleaned);
        List<Object> skipped = new ArrayList<>();
        for (CleanupResult.Skipped skip : result.skipped()) {
            skipped.add(Map.of("name", skip.name(), "reason", skip.reason()));
        }
        document.put("skipped", skipped);
        List<Object> failed = new ArrayList<>();
        for (CleanupResult.Failure failure : result.failed()) {
            failed.add(Map.of("name", failure.name(), "reason", failure.reason()));
        }
        document.put("failed", failed);
        document.put("leasesReclaimed", result.leasesReclaimed());
        return write(document);
    }

    static String error(String message) {
        return write(Map.of("error", message));
    }

    private static Map<String, Object> block(BlockInfo block) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", block.name());
        entry.put("state", block.state().name());
        entry.put("size", block.size());
        entry.put("ownerId", block.ownerId());
        entry.put("writerPid", block.writerPid());
        entry.put("created", text(block.created()));
        entry.put("expires", text(block.expires()));
        entry.put("age", HumanDuration.format(block.age()));
        entry.put("ageMillis", block.age().toMillis());
        entry.put("ownedByThisProcess", block.ownedByThisProcess());
        return entry;
    }

    private static @Nullable String text(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String write(Object document) {
        return MAPPER.writeValueAsString(document);
    }
}
