package io.fastshare.messaging.amqp;

import io.fastshare.messaging.SendScope;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * An advice around a template's send methods that opens a {@link SendScope}: the blocks the converter
 * wrote for the message are released when the send throws (connection refused, channel closed, a
 * rejected publish), so a failed send leaves nothing in shared memory.
 *
 * <p>Thread-safe (stateless; the scope is per thread).
 */
public final class FastShareSendAdvice implements MethodInterceptor {

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        try (SendScope scope = SendScope.begin()) {
            Object result = invocation.proceed();
            scope.completed();
            return result;
        }
    }
}
