package io.fastshare.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * Applies one property value and turns a rejection into {@link InvalidFastSharePropertyException}
 * naming the property, so the limits are checked in one place (the core builder) and reported in
 * Spring Boot terms. Public only for the starter's auto-configurations in the sub-packages; not an API.
 *
 * <p>Stateless.
 */
public final class PropertyBinding {

    private PropertyBinding() {
    }

    /**
     * Passes a value to a setter that may reject it with {@link IllegalArgumentException}.
     *
     * @param property full property name
     * @param value the bound value, not null
     * @param setter the core setter
     * @param action what the user should do when it is rejected
     * @param <T> value type
     * @throws InvalidFastSharePropertyException when the value is null or the setter rejects it
     */
    public static <T> void apply(String property, @Nullable T value, Consumer<T> setter, String action) {
        if (value == null) {
            throw new InvalidFastSharePropertyException(property, null, "a value is required", action, null);
        }
        try {
            setter.accept(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidFastSharePropertyException(property, value, e.getMessage(), action, e);
        }
    }

    /**
     * Checks that a size is zero or more.
     *
     * @param property full property name
     * @param value the bound value
     * @return the size in bytes
     * @throws InvalidFastSharePropertyException when null or negative
     */
    public static long nonNegative(String property, @Nullable DataSize value) {
        if (value == null || value.isNegative()) {
            throw new InvalidFastSharePropertyException(property, value, "a size must not be negative",
                    "Set it to 0 or a positive size such as 64MB.", null);
        }
        return value.toBytes();
    }

    /**
     * Checks that a size is between zero and a limit.
     *
     * @param property full property name
     * @param value the bound value
     * @param limit the largest allowed size in bytes
     * @return the size in bytes
     * @throws InvalidFastSharePropertyException when null, negative or over the limit
     */
    public static long between(String property, @Nullable DataSize value, long limit) {
        long bytes = nonNegative(property, value);
        if (bytes > limit) {
            throw new InvalidFastSharePropertyException(property, value,
                    "the size must not exceed " + FastShareStartupReport.format(limit),
                    "Set it to a size between 0 and " + FastShareStartupReport.format(limit) + ", such as 16MB.", null);
        }
        return bytes;
    }

    /**
     * Checks that a duration is positive.
     *
     * @param property full property name
     * @param value the bound value
     * @return the value
     * @throws InvalidFastSharePropertyException when null, zero or negative
     */
    public static Duration positive(String property, @Nullable Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidFastSharePropertyException(property, value, "the duration must be positive",
                    "Set it to a positive duration such as 30s or 5m.", null);
        }
        return value;
    }

    /**
     * Checks that a duration is at least a minimum.
     *
     * @param property full property name
     * @param value the bound value
     * @param minimum the smallest allowed value
     * @param why why smaller values are unsafe
     * @return the value
     * @throws InvalidFastSharePropertyException when null or below the minimum
     */
    public static Duration atLeast(String property, @Nullable Duration value, Duration minimum, String why) {
        if (value == null || value.compareTo(minimum) < 0) {
            throw new InvalidFastSharePropertyException(property, value,
                    "the duration must be at least " + DurationFormat.print(minimum) + ": " + why,
                    "Set it to " + DurationFormat.print(minimum) + " or more, such as 1m.", null);
        }
        return value;
    }

    /**
     * Checks that a duration is zero or more.
     *
     * @param property full property name
     * @param value the bound value
     * @return the value
     * @throws InvalidFastSharePropertyException when null or negative
     */
    public static Duration nonNegative(String property, @Nullable Duration value) {
        if (value == null || value.isNegative()) {
            throw new InvalidFastSharePropertyException(property, value, "the duration must not be negative",
                    "Set it to 0s or a positive duration such as 30s.", null);
        }
        return value;
    }
}
