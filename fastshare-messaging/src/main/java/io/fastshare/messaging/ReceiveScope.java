package io.fastshare.messaging;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The processing of one received message on the current thread: what to do when the listener succeeded
 * (count the consumer in, release the block) and which zero-copy handles to close when it is done either
 * way. Listener adapters (the RabbitMQ advice, a Spring Messaging handler) open a scope around the listener
 * call; converters that resolve a payload inside it register their work with it.
 *
 * <pre>{@code
 * try (ReceiveScope scope = ReceiveScope.begin()) {
 *     listener.handle(converter.fromMessage(message));
 *     scope.succeeded();
 * }
 * }</pre>
 *
 * <p>Outside a scope, converters never release blocks (the TTL reclaims them) and hand zero-copy handles
 * to the caller, who closes them.
 *
 * <p>Not thread-safe: a scope belongs to the thread that began it. Scopes nest.
 */
public final class ReceiveScope implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReceiveScope.class);
    private static final ThreadLocal<Deque<ReceiveScope>> CURRENT = ThreadLocal.withInitial(ArrayDeque::new);

    private final List<Runnable> onSuccess = new ArrayList<>();
    private final List<AutoCloseable> handles = new ArrayList<>();
    private boolean closed;

    private ReceiveScope() {
    }

    /**
     * Begins a scope on the current thread.
     *
     * @return the scope; close it when the listener call is over
     */
    public static ReceiveScope begin() {
        ReceiveScope scope = new ReceiveScope();
        CURRENT.get().push(scope);
        return scope;
    }

    /**
     * Returns the innermost scope of the current thread.
     *
     * @return the scope, or null outside any scope
     */
    public static @Nullable ReceiveScope current() {
        return CURRENT.get().peek();
    }

    /**
     * Registers an action to run when the listener succeeded.
     *
     * @param action the action; its failures are logged, never thrown
     */
    public void onSuccess(Runnable action) {
        onSuccess.add(action);
    }

    /**
     * Registers a handle to close when the scope closes, after the listener returned or threw.
     *
     * @param handle a zero-copy handle
     */
    public void track(AutoCloseable handle) {
        handles.add(handle);
    }

    /**
     * Marks the listener call as successful: runs the success actions (count consumers in, release
     * blocks). A failing action is logged and does not fail the message, which was processed.
     */
    public void succeeded() {
        for (Runnable action : onSuccess) {
            try {
                action.run();
            } catch (RuntimeException e) {
                log.warn("fastshare could not complete a processed message's claim check: {}", e.getMessage(), e);
            }
        }
        onSuccess.clear();
    }

    /**
     * Ends the scope: closes the zero-copy handles (their views become invalid) and forgets the success
     * actions that did not run (the listener failed, so the block stays for redelivery). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CURRENT.get().remove(this);
        for (AutoCloseable handle : handles) {
            try {
                handle.close();
            } catch (Exception e) {
                log.warn("fastshare could not close a payload handle: {}", e.getMessage(), e);
            }
        }
        handles.clear();
        onSuccess.clear();
    }
}
