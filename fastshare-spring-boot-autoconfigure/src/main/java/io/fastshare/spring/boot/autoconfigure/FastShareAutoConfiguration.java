package io.fastshare.spring.boot.autoconfigure;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.codec.PayloadCodec;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configures a {@link SharedMemoryTemplate} from the {@code fastshare.*} properties. The
 * template uses every {@link PayloadCodec} bean (in order) and every
 * {@link SharedMemoryTemplateBuilderCustomizer} bean, and is closed when the context shuts down
 * (releasing the blocks it owns unless {@code fastshare.release-on-shutdown=false}).
 *
 * <p>Declare your own {@code SharedMemoryTemplate} bean to replace it; set {@code fastshare.enabled=false}
 * to switch fastshare off.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(SharedMemoryTemplate.class)
@ConditionalOnBooleanProperty(name = "fastshare.enabled", matchIfMissing = true)
@EnableConfigurationProperties(FastShareProperties.class)
public final class FastShareAutoConfiguration {

    /**
     * Creates the auto-configuration; called by Spring.
     */
    FastShareAutoConfiguration() {
    }

    /**
     * The template.
     *
     * @param properties bound properties
     * @param codecs codec beans
     * @param customizers builder customizers
     * @return a started template, closed by the container
     * @throws InvalidFastSharePropertyException when a property value is unusable
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    SharedMemoryTemplate sharedMemoryTemplate(FastShareProperties properties, ObjectProvider<PayloadCodec> codecs,
            ObjectProvider<SharedMemoryTemplateBuilderCustomizer> customizers) {
        SharedMemoryTemplate template = SharedMemoryTemplateFactory.create(properties,
                codecs.orderedStream().toList(), customizers.orderedStream().toList());
        FastShareStartupReport.log(template, properties);
        return template;
    }

    /**
     * Hands the application's {@link JsonMapper} to the template's JSON codec, so payload records and
     * POJOs are mapped as the application configured Jackson (naming, modules, features).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JsonMapper.class)
    static class JsonMapperConfiguration {

        /**
         * Runs first, so user customizers can still replace the mapper.
         *
         * @param jsonMapper the application's mapper, used when exactly one exists
         * @return the customizer
         */
        @Bean
        @Order(0)
        SharedMemoryTemplateBuilderCustomizer fastShareJsonMapperCustomizer(ObjectProvider<JsonMapper> jsonMapper) {
            return builder -> {
                JsonMapper mapper = jsonMapper.getIfUnique();
                if (mapper != null) {
                    builder.jsonMapper(mapper);
                }
            };
        }
    }
}
