package io.fastshare.messaging.amqp;

import io.fastshare.messaging.ReceiveScope;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * A listener-container advice ({@code factory.setAdviceChain(...)}) that opens a {@link ReceiveScope}
 * around each listener call: when the listener returns, the consumer is counted in and the block is
 * released as the fan-out mode says; when it throws, the block stays for the redelivered or dead-lettered
 * message. Zero-copy handles given to the listener are closed after the call either way.
 *
 * <p>Thread-safe (stateless; the scope is per thread).
 */
public final class FastShareListenerAdvice implements MethodInterceptor {

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        try (ReceiveScope scope = ReceiveScope.begin()) {
            Object result = invocation.proceed();
            scope.succeeded();
            return result;
        }
    }
}
