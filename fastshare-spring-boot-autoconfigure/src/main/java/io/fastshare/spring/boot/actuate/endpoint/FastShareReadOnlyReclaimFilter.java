package io.fastshare.spring.boot.actuate.endpoint;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Answers {@code DELETE /actuator/fastshare} while the endpoint is read-only (its default) with 405, an
 * {@code Allow: GET} header and a JSON body that says how to enable it, instead of Spring's bare 405.
 * Logs at DEBUG only: a refused request is the caller's mistake, not the application's problem. Spring
 * Boot drops write operations of read-only endpoints, so without this filter no handler would see the
 * request at all.
 *
 * <p>Thread-safe: reads the endpoint's path and access on each DELETE.
 */
public class FastShareReadOnlyReclaimFilter extends OncePerRequestFilter {

    /** The property that grants write access. */
    public static final String ACCESS_PROPERTY = "management.endpoint.fastshare.access";

    private static final Logger log = LoggerFactory.getLogger(FastShareReadOnlyReclaimFilter.class);

    private static final EndpointId ID = EndpointId.of("fastshare");

    private final EndpointAccessResolver accessResolver;
    private final PathMappedEndpoints endpoints;

    /**
     * Creates the filter.
     *
     * @param accessResolver tells the endpoint's effective access
     * @param endpoints tells the endpoint's path
     */
    public FastShareReadOnlyReclaimFilter(EndpointAccessResolver accessResolver, PathMappedEndpoints endpoints) {
        this.accessResolver = accessResolver;
        this.endpoints = endpoints;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!HttpMethod.DELETE.matches(request.getMethod()) || !isEndpointRoot(request)
                || accessResolver.accessFor(ID, Access.READ_ONLY) == Access.UNRESTRICTED) {
            chain.doFilter(request, response);
            return;
        }
        String path = request.getRequestURI();
        log.debug("refused DELETE {}: the fastshare endpoint is read-only ({})", path, ACCESS_PROPERTY);
        response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
        response.setHeader(HttpHeaders.ALLOW, HttpMethod.GET.name());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"status\":405,\"error\":\"Method Not Allowed\",\"message\":\""
                + json(message()) + "\",\"path\":\"" + json(path) + "\"}");
    }

    /**
     * The explanation sent with the refusal.
     *
     * @return how to enable cleanup through the endpoint
     */
    static String message() {
        return "The fastshare endpoint is read-only, so DELETE (reclaim orphan blocks now) is not available. "
                + "Grant write access with " + ACCESS_PROPERTY + "=unrestricted (and secure the endpoint), or "
                + "run 'fastshare cleanup'; periodic cleanup (fastshare.cleanup.enabled) reclaims them anyway.";
    }

    private boolean isEndpointRoot(HttpServletRequest request) {
        String endpointPath = endpoints.getPath(ID);
        if (endpointPath == null) {
            return false; // not exposed over HTTP
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.equals(endpointPath);
    }

    private static String json(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                escaped.append('\\').append(c);
            } else if (c < 0x20) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
