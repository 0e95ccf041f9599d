package io.fastshare.spring.boot.autoconfigure;

import io.fastshare.SharedMemoryTemplate;

/**
 * Callback to customise the auto-configured {@link SharedMemoryTemplate} beyond what the
 * {@code fastshare.*} properties offer: extra listeners, a clock, codecs registered in a special
 * order. Declare beans of this type; they run in {@link org.springframework.core.annotation.Order}
 * order after the properties are applied, so they can override them.
 *
 * <p>Implementations are called once, on the thread that creates the template.
 */
@FunctionalInterface
public interface SharedMemoryTemplateBuilderCustomizer {

    /**
     * Customises the builder before the template is built.
     *
     * @param builder the builder, already configured from the properties
     */
    void customize(SharedMemoryTemplate.Builder builder);
}
