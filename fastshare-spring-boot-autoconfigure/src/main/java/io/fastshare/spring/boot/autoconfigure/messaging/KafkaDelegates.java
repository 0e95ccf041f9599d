package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.spring.boot.autoconfigure.InvalidFastSharePropertyException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.util.ClassUtils;

/**
 * Instantiates the serializer or deserializer an application configured for Kafka values, which the
 * fastshare wrapper delegates to. Thread-safe (stateless).
 */
final class KafkaDelegates {

    private KafkaDelegates() {
    }

    /**
     * Creates an instance of the configured class.
     *
     * @param configured the configuration value: a class or a class name
     * @param type the expected interface
     * @param property the Spring Boot property that sets it, for messages
     * @param <T> the interface
     * @return a new, unconfigured instance (the Kafka factory configures the wrapper, which passes it on)
     * @throws InvalidFastSharePropertyException when nothing or something unusable is configured
     */
    static <T> T instantiate(@Nullable Object configured, Class<T> type, String property) {
        if (configured == null) {
            throw new InvalidFastSharePropertyException(property, "(unset)", "fastshare wraps the configured "
                    + type.getSimpleName() + " for values and none is configured", "set " + property, null);
        }
        try {
            Class<?> clazz = configured instanceof Class<?> c ? c
                    : ClassUtils.forName(configured.toString().trim(), KafkaDelegates.class.getClassLoader());
            if (!type.isAssignableFrom(clazz)) {
                throw new InvalidFastSharePropertyException(property, clazz.getName(), "not a " + type.getName(),
                        "configure a Kafka " + type.getSimpleName(), null);
            }
            return type.cast(BeanUtils.instantiateClass(clazz));
        } catch (ClassNotFoundException | LinkageError e) {
            throw new InvalidFastSharePropertyException(property, configured, "class not found", "check the class name",
                    e);
        }
    }
}
