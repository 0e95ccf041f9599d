package io.fastshare.spring.boot.testing;

import io.fastshare.SharedMemoryTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.nio.file.Path;

/** Two templates of the application's own and no primary: which one to clean, measure or report is ambiguous. */
@Configuration(proxyBeanMethods = false)
public class TwoTemplatesConfiguration {

    @Bean(destroyMethod = "close")
    SharedMemoryTemplate first(Environment environment) {
        return SharedMemoryTemplate.builder().directory(directory(environment)).build();
    }

    @Bean(destroyMethod = "close")
    SharedMemoryTemplate second(Environment environment) {
        return SharedMemoryTemplate.builder().directory(directory(environment)).build();
    }

    private static Path directory(Environment environment) {
        return Path.of(environment.getRequiredProperty("fastshare.directory"));
    }
}
