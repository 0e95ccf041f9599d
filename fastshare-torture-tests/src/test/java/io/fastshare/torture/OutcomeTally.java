package io.fastshare.torture;

import io.fastshare.FastShareException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the outcomes of fuzzed calls by kind and keeps the first violations with the input that
 * caused them. A violation is anything but a return value or a {@link FastShareException}: another
 * exception, an error such as {@code OutOfMemoryError}, or a hang.
 *
 * <p>Not thread-safe.
 */
final class OutcomeTally {

    private static final int KEPT_VIOLATIONS = 20;

    private final Map<String, Long> counts = new TreeMap<>();
    private final Map<String, Long> reasons = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    private long violationCount;
    private long calls;

    /**
     * Records one outcome.
     *
     * @param operation the call, e.g. "read"
     * @param outcome what it produced
     * @param input description of the input, for the report
     * @return true when the outcome is allowed
     */
    boolean record(String operation, BoundedRunner.Outcome outcome, String input) {
        calls++;
        String kind;
        boolean allowed;
        if (outcome.hung()) {
            kind = "HANG";
            allowed = false;
        } else if (outcome.error() == null) {
            kind = "returned";
            allowed = true;
        } else if (outcome.error() instanceof FastShareException) {
            kind = outcome.error().getClass().getSimpleName();
            allowed = true;
            reasons.merge(reason(outcome.error()), 1L, Long::sum);
        } else {
            kind = "VIOLATION:" + outcome.error().getClass().getSimpleName();
            allowed = false;
        }
        counts.merge(kind, 1L, Long::sum);
        if (!allowed) {
            violationCount++;
            if (violations.size() < KEPT_VIOLATIONS) {
                violations.add(operation + " on " + input + " -> " + kind + describe(outcome.error()));
            }
        }
        return allowed;
    }

    /**
     * Records a violation found by a check outside a call (a touched file, a wrong payload).
     *
     * @param what description
     */
    void violation(String what) {
        violationCount++;
        counts.merge("VIOLATION:check", 1L, Long::sum);
        if (violations.size() < KEPT_VIOLATIONS) {
            violations.add(what);
        }
    }

    /** The validator that rejected an input: its message with names and numbers blanked out. */
    private static String reason(Throwable error) {
        String message = String.valueOf(error.getMessage());
        int colon = message.indexOf("is corrupt: ");
        if (colon >= 0) {
            message = message.substring(colon + "is corrupt: ".length());
        }
        message = message.replaceAll("FSHR_[0-9a-f]{32}", "<block>").replaceAll("FSHP_[0-9a-f]{32}", "<segment>")
                .replaceAll("0x[0-9a-f]+", "<hex>")
                .replaceAll("-?[0-9]+", "#").replaceAll("'[^']*'", "<s>");
        return message.length() > 60 ? message.substring(0, 60) : message;
    }

    /**
     * Returns how often each rejection reason occurred, most frequent first, at most {@code limit}.
     *
     * @param limit how many to list
     * @return reason and count, as text
     */
    String topReasons(int limit) {
        StringBuilder out = new StringBuilder();
        reasons.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                .forEach(e -> out.append("\n    ").append(e.getValue()).append("  ").append(e.getKey()));
        return out.append("\n    (").append(reasons.size()).append(" distinct reasons)").toString();
    }

    private static String describe(Throwable error) {
        if (error == null) {
            return "";
        }
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        String trace = out.toString();
        return "\n" + (trace.length() > 3000 ? trace.substring(0, 3000) + "..." : trace);
    }

    long calls() {
        return calls;
    }

    long violationCount() {
        return violationCount;
    }

    List<String> violations() {
        return violations;
    }

    Map<String, Long> counts() {
        return counts;
    }
}
