package io.fastshare.sample.consumer;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Stamps each handoff request with the time it reached the consumer, before Spring MVC reads and
 * converts the body. Without it, the JSON path would hide its parsing time: Spring decodes a
 * {@code @RequestBody} before the controller method starts. Thread-safe (stateless).
 */
@Component
@Profile("consumer")
class ArrivalTimeFilter extends OncePerRequestFilter {

    /** Request attribute holding {@link System#nanoTime()} at arrival, a {@code Long}. */
    static final String ARRIVED_AT = ArrivalTimeFilter.class.getName() + ".arrivedAt";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/handoff/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.setAttribute(ARRIVED_AT, System.nanoTime());
        chain.doFilter(request, response);
    }

    /**
     * Returns when a request arrived.
     *
     * @param request the request
     * @return its {@link System#nanoTime()} stamp, or now when it was not stamped
     */
    static long arrivedAt(HttpServletRequest request) {
        Object stamp = request.getAttribute(ARRIVED_AT);
        return stamp instanceof Long nanos ? nanos : System.nanoTime();
    }
}
