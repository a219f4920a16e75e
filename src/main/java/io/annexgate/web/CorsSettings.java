package io.annexgate.web;

import io.annexgate.config.AnnexgateProperties;
import jakarta.servlet.Filter;
import java.util.List;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * Cross-origin access to the API for pages on other origins ({@code annexgate.cors.*}), off while
 * no origin is allowed. Spring's {@link CorsFilter} answers a preflight itself, before any
 * authentication (a browser sends no credentials with one); the real request then goes through
 * the same permission checks as any other, and gets the CORS headers only from an allowed origin.
 */
final class CorsSettings {

    /** Headers a page may read: the protocol's, and those of ranges and validators. */
    static final List<String> EXPOSED = List.of(RequestParameters.DATA_LENGTH, "Content-Range", "Accept-Ranges",
            "ETag", "Content-Length");

    private CorsSettings() {
    }

    static boolean enabled(AnnexgateProperties.Cors cors) {
        return !cors.allowedOrigins().isEmpty();
    }

    static Filter filter(AnnexgateProperties.Cors cors) {
        CorsConfiguration config = new CorsConfiguration();
        for (String origin : cors.allowedOrigins()) {
            if (origin.contains("*")) {
                config.addAllowedOriginPattern(origin);
            } else {
                config.addAllowedOrigin(origin);
            }
        }
        config.setAllowedMethods(cors.allowedMethods());
        config.setAllowedHeaders(cors.allowedHeaders());
        config.setExposedHeaders(EXPOSED);
        config.setAllowCredentials(cors.allowCredentials());
        config.setMaxAge(cors.maxAge());
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/git-annex/**", config);
        return new CorsFilter(source);
    }
}
