package io.fastshare.cli;

import io.fastshare.cleanup.BlockDetails;
import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.BlockState;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.format.BlockPreamble;
import io.fastshare.format.BufferDescriptor;
import io.fastshare.format.HeaderPeek;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Tables and reports for people.
 *
 * <p>Stateless and thread-safe.
 */
final class HumanOutput {

    private HumanOutput() {
    }

    static void list(PrintStream out, Path directory, List<BlockInfo> blocks, Instant now) {
        if (blocks.isEmpty()) {
            out.println("No blocks in " + directory);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "STATE", "SIZE", "AGE", "EXPIRES IN", "OWNER", "PID"});
        long bytes = 0;
        for (BlockInfo block : blocks) {
            rows.add(new String[] {block.name(), block.state().name(), Sizes.format(block.size()),
                    Durations.format(block.age()), expiresIn(block, now),
                    block.ownerId() == null ? "-" : block.ownerId().substring(0, 12),
                    block.writerPid() < 0 ? "-" : Long.toString(block.writerPid())});
            bytes += block.size();
        }
        table(out, rows);
        out.println(blocks.size() + (blocks.size() == 1 ? " block, " : " blocks, ") + Sizes.format(bytes) + " in "
                + directory + summary(blocks));
    }

    private static String summary(List<BlockInfo> blocks) {
        Map<BlockState, Integer> counts = new EnumMap<>(BlockState.class);
        blocks.forEach(b -> counts.merge(b.state(), 1, Integer::sum));
        StringBuilder text = new StringBuilder(" (");
        counts.forEach((state, count) -> text.append(text.length() > 2 ? ", " : "").append(count).append(' ')
                .append(state.name().toLowerCase(java.util.Locale.ROOT)));
        return text.append(')').toString();
    }

    private static String expiresIn(BlockInfo block, Instant now) {
        if (block.expires() == null) {
            return block.created() == null ? "-" : "never";
        }
        Duration left = Duration.between(now, block.expires());
        return left.isNegative() ? "expired" : Durations.format(left);
    }

    static void inspect(PrintStream out, Path directory, BlockDetails details, Instant now) {
        BlockInfo info = details.info();
        HeaderPeek header = details.header();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"block", info.name()});
        rows.add(new String[] {"directory", directory.toString()});
        rows.add(new String[] {"state", info.state().name()});
        rows.add(new String[] {"size", info.size() + " bytes (" + Sizes.format(info.size()) + ")"});
        if (header != null) {
            rows.add(new String[] {"owner", info.ownerId() + (info.state() == BlockState.ORPHANED
                    || info.state() == BlockState.INCOMPLETE ? " (dead)" : "")});
            rows.add(new String[] {"writer pid", info.writerPid() + " (diagnostic only)"});
            rows.add(new String[] {"created", info.created() + " (" + Durations.format(info.age()) + " ago)"});
            rows.add(new String[] {"expires", info.expires() == null ? "never (no TTL)"
                    : info.expires() + " (" + expiresIn(info, now) + ")"});
            rows.add(new String[] {"commit", header.committed() ? "committed" : "not committed (writing, or writer died)"});
            rows.add(new String[] {"planned size", header.totalLength() + " bytes"});
        } else {
            rows.add(new String[] {"modified", Durations.format(info.age()) + " ago"});
        }
        BlockPreamble preamble = details.preamble();
        if (preamble != null) {
            rows.add(new String[] {"codec", preamble.header().codecId()});
            rows.add(new String[] {"checksum", preamble.header().hasPayloadCrc() ? "payload CRC32C, verified" : "none"});
            rows.add(new String[] {"metadata", preamble.header().metadataLength() + " bytes"});
            rows.add(new String[] {"buffers", Integer.toString(preamble.buffers().size())});
        }
        if (details.problem() != null) {
            rows.add(new String[] {"problem", details.problem()});
        }
        for (String[] row : rows) {
            out.printf("%-13s %s%n", row[0], row[1]);
        }
        if (preamble != null && !preamble.buffers().isEmpty()) {
            List<String[]> buffers = new ArrayList<>();
            buffers.add(new String[] {"  #", "OFFSET", "LENGTH", "TYPE", "SHAPE"});
            int index = 0;
            for (BufferDescriptor buffer : preamble.buffers()) {
                buffers.add(new String[] {"  " + index++, Long.toString(buffer.offset()),
                        Long.toString(buffer.length()), buffer.elementType().name(), Arrays.toString(buffer.shape())});
            }
            out.println();
            table(out, buffers);
        }
    }

    static void cleanup(PrintStream out, PrintStream err, Path directory, CleanupResult result, boolean verbose,
            boolean quiet) {
        if (!quiet) {
            Map<BlockState, Integer> counts = new EnumMap<>(BlockState.class);
            result.cleaned().forEach(r -> counts.merge(r.state(), 1, Integer::sum));
            StringBuilder line = new StringBuilder(result.dryRun() ? "Dry run: would reclaim " : "Reclaimed ");
            line.append(result.cleaned().size()).append(result.cleaned().size() == 1 ? " block (" : " blocks (")
                    .append(Sizes.format(result.bytesReclaimed())).append(") in ").append(directory);
            if (!counts.isEmpty()) {
                StringBuilder parts = new StringBuilder();
                counts.forEach((state, count) -> parts.append(parts.length() > 0 ? ", " : "").append(count).append(' ')
                        .append(state.name().toLowerCase(java.util.Locale.ROOT)));
                line.append(": ").append(parts);
            }
            int leases = result.leasesReclaimed().size();
            line.append("; ").append(leases).append(leases == 1 ? " stale lease; " : " stale leases; ")
                    .append(result.skipped().size()).append(" skipped; ").append(result.failed().size())
                    .append(" failed");
            out.println(line);
        }
        if (verbose) {
            String verb = result.dryRun() ? "would reclaim" : "reclaimed";
            for (CleanupResult.Reclaimed reclaimed : result.cleaned()) {
                out.printf("  %-13s %s  %-10s %s%n", verb, reclaimed.name(), reclaimed.state(),
                        Sizes.format(reclaimed.size()));
            }
            for (String lease : result.leasesReclaimed()) {
                out.printf("  %-13s lease %s%n", verb, lease);
            }
            for (CleanupResult.Skipped skipped : result.skipped()) {
                out.printf("  %-13s %s  %s%n", "skipped", skipped.name(), skipped.reason());
            }
        }
        for (CleanupResult.Failure failure : result.failed()) {
            err.println("fastshare: could not reclaim " + failure.name() + ": " + failure.reason());
        }
    }

    private static void table(PrintStream out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
