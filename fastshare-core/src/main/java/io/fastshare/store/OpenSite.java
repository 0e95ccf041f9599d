package io.fastshare.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.CodeSource;
import java.util.Objects;

/**
 * Where a payload handle was opened, recorded cheaply at every open so that a handle that is never
 * closed can be reported with the application code that opened it, as Netty's leak detector reports
 * buffers: the first stack frame outside this library, and the thread. Only a few frames are walked,
 * so recording costs about a microsecond. With {@code -Dfastshare.leakDetection=stack} the whole
 * stack is recorded instead (slower; for hunting a leak).
 *
 * <p>Thread-safe.
 */
final class OpenSite {

    private static final Logger log = LoggerFactory.getLogger("io.fastshare.leak");
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final CodeSource LIBRARY = codeSource(OpenSite.class);
    private static final boolean FULL_STACK = "stack".equalsIgnoreCase(System.getProperty("fastshare.leakDetection"));

    private OpenSite() {
    }

    /**
     * Describes the caller that is opening a handle.
     *
     * @return "at &lt;frame&gt; on thread &lt;name&gt;", or the whole stack in full-stack mode
     */
    static String capture() {
        String thread = Thread.currentThread().getName();
        if (FULL_STACK) {
            StringBuilder stack = new StringBuilder("on thread ").append(thread).append(':');
            WALKER.forEach(frame -> stack.append("\n\tat ").append(frame));
            return stack.toString();
        }
        StackWalker.StackFrame caller = WALKER.walk(frames -> frames
                .filter(frame -> !isLibrary(frame.getDeclaringClass()))
                .findFirst()
                .orElse(null));
        return "at " + (caller == null ? "an unknown place" : caller.toString()) + " on thread " + thread;
    }

    private static boolean isLibrary(Class<?> type) {
        return LIBRARY != null ? Objects.equals(codeSource(type), LIBRARY)
                : type.getName().startsWith("io.fastshare.");
    }

    private static CodeSource codeSource(Class<?> type) {
        try {
            return type.getProtectionDomain().getCodeSource();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Logs that a handle was found unreachable without being closed, and that its memory is released now.
     *
     * @param block the block name
     * @param site where it was opened, from {@link #capture()}
     */
    static void warnUnclosed(String block, String site) {
        log.warn("fastshare: a SharedPayload of block {} opened {} was never closed; its shared memory is released "
                + "now that the handle is unreachable. Close handles with try-with-resources; views of a handle "
                + "are valid only while the handle is open and reachable (-Dfastshare.leakDetection=stack records "
                + "the whole stack of each open)", block, site);
    }
}
