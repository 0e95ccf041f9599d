package io.fastshare.spring.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Explains an {@link InvalidFastSharePropertyException} in Spring Boot's startup failure report:
 * which property, the value as the user typed it and where (file and line, environment variable, ...),
 * what is wrong and what to do. Registered in {@code META-INF/spring.factories}.
 *
 * <p>Stateless and thread-safe.
 */
public class InvalidFastSharePropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidFastSharePropertyException> {

    private final @Nullable Environment environment;

    /**
     * Creates the analyzer; called by Spring Boot, which passes the application's environment.
     *
     * @param environment where the property came from; null when the failure happened before there was one
     */
    public InvalidFastSharePropertyFailureAnalyzer(@Nullable Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidFastSharePropertyException cause) {
        ConfigurationProperty typed = typed(cause.getProperty());
        String value = typed != null ? String.valueOf(typed.getValue())
                : InvalidFastSharePropertyException.display(cause.getValue());
        String origin = typed != null && typed.getOrigin() != null ? " (from " + typed.getOrigin() + ")" : "";
        String description = "Invalid value for property '" + cause.getProperty() + "': '" + value + "'" + origin
                + System.lineSeparator() + System.lineSeparator() + "Reason: " + cause.getReason();
        String action = cause.getAction() + System.lineSeparator()
                + "Update '" + cause.getProperty() + "' in your application's configuration"
                + " (the fastshare properties are described at " + Docs.CONFIGURATION + ").";
        return new FailureAnalysis(description, action, cause);
    }

    /** Finds the property as the user set it, with relaxed names (FASTSHARE_MAX_INLINE_SIZE, maxInlineSize). */
    private @Nullable ConfigurationProperty typed(String property) {
        if (environment == null) {
            return null;
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty found = source.getConfigurationProperty(name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
