package io.fastshare.sample;

import io.fastshare.SharedMemoryTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.time.Duration;

/**
 * STOPGAP until the fastshare Spring Boot starter is in this build: creates the
 * {@link SharedMemoryTemplate} bean from the same {@code fastshare.*} property names the starter
 * binds, so the sample's configuration does not change when the starter replaces this class.
 * Spring closes the template on shutdown (its {@code close()} is the inferred destroy method),
 * which releases the blocks this process still owns.
 */
@Configuration(proxyBeanMethods = false)
class FastShareStopgapConfiguration {

    /**
     * Builds the template.
     *
     * @param directory block directory shared by both services
     * @param defaultTtl lifetime of written blocks
     * @return the template
     */
    @Bean
    SharedMemoryTemplate sharedMemoryTemplate(@Value("${fastshare.directory}") Path directory,
            @Value("${fastshare.default-ttl:10m}") Duration defaultTtl) {
        return SharedMemoryTemplate.builder().directory(directory).defaultTtl(defaultTtl).build();
    }
}
