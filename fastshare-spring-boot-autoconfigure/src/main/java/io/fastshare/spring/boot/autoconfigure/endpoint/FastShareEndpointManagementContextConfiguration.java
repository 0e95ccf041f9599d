package io.fastshare.spring.boot.autoconfigure.endpoint;

import io.fastshare.spring.boot.actuate.endpoint.FastShareEndpoint;
import io.fastshare.spring.boot.actuate.endpoint.FastShareReadOnlyReclaimFilter;
import jakarta.servlet.Filter;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Registers the {@link FastShareReadOnlyReclaimFilter} in the context that serves the actuator endpoints
 * (the application's, or the management server's child context when {@code management.server.port}
 * differs), for servlet applications. Listed in
 * {@code META-INF/spring/org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration.imports}.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ Filter.class, OncePerRequestFilter.class, FastShareEndpoint.class })
@ConditionalOnBean({ FastShareEndpoint.class, EndpointAccessResolver.class, PathMappedEndpoints.class })
public class FastShareEndpointManagementContextConfiguration {

    /**
     * Creates the configuration; called by Spring.
     */
    public FastShareEndpointManagementContextConfiguration() {
    }

    /**
     * The filter, for the endpoint's path only.
     *
     * @param accessResolver the endpoints' effective access
     * @param endpoints the endpoints' paths
     * @return the registration
     */
    @Bean
    FilterRegistrationBean<FastShareReadOnlyReclaimFilter> fastShareReadOnlyReclaimFilter(
            EndpointAccessResolver accessResolver, PathMappedEndpoints endpoints) {
        return new FilterRegistrationBean<>(new FastShareReadOnlyReclaimFilter(accessResolver, endpoints));
    }
}
