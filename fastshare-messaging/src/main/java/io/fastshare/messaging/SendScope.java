package io.fastshare.messaging;

import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One send on the current thread: the blocks converters wrote for it, released if the send fails after
 * the write (the broker refused it, the connection dropped), so a failed send leaves nothing behind.
 * Template wrappers (the RabbitMQ template advice) open a scope around each send; converters
 * {@linkplain #record record} the tokens they wrote in it.
 *
 * <pre>{@code
 * try (SendScope scope = SendScope.begin()) {
 *     rabbitTemplate.convertAndSend(exchange, key, payload);
 * } catch (RuntimeException e) {  // the scope released the block already
 *     ...
 * }
 * }</pre>
 *
 * <p>Not thread-safe: a scope belongs to the thread that began it. Scopes nest; a token is recorded in the
 * innermost one.
 */
public final class SendScope implements AutoCloseable {

    private static final ThreadLocal<Deque<SendScope>> CURRENT = ThreadLocal.withInitial(ArrayDeque::new);

    private final List<Written> written = new ArrayList<>();
    private boolean completed;
    private boolean closed;

    private record Written(ClaimCheck claimCheck, String token) {
    }

    private SendScope() {
    }

    /**
     * Begins a scope on the current thread.
     *
     * @return the scope; mark it {@linkplain #completed completed} when the send succeeded, and close it
     */
    public static SendScope begin() {
        SendScope scope = new SendScope();
        CURRENT.get().push(scope);
        return scope;
    }

    /**
     * Records a token written for the message being sent, in the innermost scope of this thread; does
     * nothing outside a scope.
     *
     * @param claimCheck the claim check that wrote it
     * @param token the token
     */
    public static void record(ClaimCheck claimCheck, String token) {
        SendScope scope = CURRENT.get().peek();
        if (scope != null) {
            scope.written.add(new Written(claimCheck, token));
        }
    }

    /**
     * Returns the innermost scope of the current thread.
     *
     * @return the scope, or null outside any scope
     */
    public static @Nullable SendScope current() {
        return CURRENT.get().peek();
    }

    /**
     * Marks the send as successful: closing the scope then keeps the blocks for the consumers.
     */
    public void completed() {
        completed = true;
    }

    /**
     * Ends the scope; releases the recorded blocks unless the send {@linkplain #completed completed}.
     * Idempotent; never throws.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CURRENT.get().remove(this);
        if (!completed) {
            for (Written w : written) {
                w.claimCheck().sendFailed(w.token());
            }
        }
        written.clear();
    }
}
