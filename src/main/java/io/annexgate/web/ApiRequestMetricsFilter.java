package io.annexgate.web;

import io.annexgate.metrics.AnnexgateMetrics;
import io.annexgate.protocol.ApiVersion;
import io.annexgate.protocol.Endpoint;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/** Times every API request and records it by endpoint, version, outcome and status. */
class ApiRequestMetricsFilter extends OncePerRequestFilter {

    private final AnnexgateMetrics metrics;

    ApiRequestMetricsFilter(AnnexgateMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.getAttribute(ApiExchange.ENDPOINT) instanceof Endpoint endpoint) {
                int status = response.getStatus();
                String outcome = request.getAttribute(ApiExchange.OUTCOME) instanceof String o ? o : byStatus(status);
                ApiVersion version = request.getAttribute(ApiExchange.VERSION) instanceof ApiVersion v ? v : null;
                metrics.request(endpoint, version, outcome, status, System.nanoTime() - start);
            }
        }
    }

    private static String byStatus(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            default -> status >= 500 ? "error" : "ok";
        };
    }
}
