package io.fastshare.spring.boot.autoconfigure;

import io.fastshare.FastShareException;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Thrown at startup when a {@code fastshare.*} property has a value the template cannot work with.
 * {@link InvalidFastSharePropertyFailureAnalyzer} turns it into a failure analysis that names the
 * property and the fix.
 *
 * <p>Immutable and thread-safe.
 */
public class InvalidFastSharePropertyException extends FastShareException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final transient @Nullable Object value;
    private final String reason;
    private final String action;

    /**
     * Creates the exception.
     *
     * @param property the full property name, such as {@code fastshare.threshold}
     * @param value the offending value
     * @param reason what is wrong with the value
     * @param action what to do about it
     * @param cause the underlying failure, or null
     */
    public InvalidFastSharePropertyException(String property, @Nullable Object value, String reason, String action,
            @Nullable Throwable cause) {
        super("invalid value for property '" + property + "' (" + display(value) + "): " + reason + ". " + action, cause);
        this.property = property;
        this.value = value;
        this.reason = reason;
        this.action = action;
    }

    /**
     * Returns the property name.
     *
     * @return full property name
     */
    public String getProperty() {
        return property;
    }

    /**
     * Returns the offending value.
     *
     * @return the value as bound, may be null
     */
    public @Nullable Object getValue() {
        return value;
    }

    /**
     * Returns what is wrong with the value.
     *
     * @return the reason
     */
    public String getReason() {
        return reason;
    }

    /**
     * Returns what to do about it.
     *
     * @return the action
     */
    public String getAction() {
        return action;
    }

    /**
     * Prints a bound value in the form users write it: sizes as {@code 16MB}, durations as {@code 30s}.
     *
     * @param value the bound value, may be null
     * @return its text
     */
    static String display(@Nullable Object value) {
        if (value instanceof DataSize size) {
            return FastShareStartupReport.format(size.toBytes());
        }
        if (value instanceof Duration duration) {
            return DurationFormat.print(duration);
        }
        return String.valueOf(value);
    }
}
