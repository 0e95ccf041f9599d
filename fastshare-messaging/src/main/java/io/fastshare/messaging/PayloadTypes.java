package io.fastshare.messaging;

import io.fastshare.SharedPayload;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.Buffer;

/**
 * Decides how a consumer's target type is served: a {@link SharedPayload} handle, views of the shared
 * memory (an NIO buffer, or a record with NIO buffer components), or an independent heap copy.
 *
 * <p>Thread-safe (stateless).
 */
final class PayloadTypes {

    private PayloadTypes() {
    }

    /** Tells whether the consumer asks for the handle itself. */
    static boolean isHandle(Type type) {
        return type == SharedPayload.class;
    }

    /** Tells whether the value holds views of shared memory, valid only while the handle is open. */
    static boolean wantsViews(Type type) {
        Class<?> raw = raw(type);
        if (raw == null) {
            return false;
        }
        if (Buffer.class.isAssignableFrom(raw)) {
            return true;
        }
        if (raw.isRecord()) {
            for (RecordComponent component : raw.getRecordComponents()) {
                if (Buffer.class.isAssignableFrom(component.getType())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return null;
    }
}
