package io.fastshare.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidFastSharePropertyException} in Spring Boot's startup failure report:
 * which property, which value, what is wrong and what to do. Registered in
 * {@code META-INF/spring.factories}.
 *
 * <p>Stateless and thread-safe.
 */
public class InvalidFastSharePropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidFastSharePropertyException> {

    /**
     * Creates the analyzer; called by Spring Boot.
     */
    public InvalidFastSharePropertyFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidFastSharePropertyException cause) {
        String description = "Invalid value for property '" + cause.getProperty() + "': '" + cause.getValue() + "'"
                + System.lineSeparator() + System.lineSeparator() + "Reason: " + cause.getReason();
        String action = cause.getAction() + System.lineSeparator()
                + "Update '" + cause.getProperty() + "' in your application's configuration"
                + " (fastshare properties are documented in docs/configuration.md).";
        return new FailureAnalysis(description, action, cause);
    }
}
