package io.annexgate.web;

import io.annexgate.config.AnnexgateProperties;
import io.annexgate.metrics.AnnexgateMetrics;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.util.EnumSet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The HTTP side: request metrics, a Jetty that lets keys with encoded slashes through, and {@code --socket}. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

    /**
     * First of all filters, on every dispatch: parameters come from the query string only, so no
     * one reads a request's body as a form (see {@link QueryOnlyRequest}).
     */
    @Bean
    FilterRegistrationBean<Filter> queryOnlyParameters() {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(QueryOnlyRequest.filter());
        registration.setName("queryOnlyParameters");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
        return registration;
    }

    /**
     * Right after {@link #queryOnlyParameters}: CORS when {@code annexgate.cors.allowed-origins}
     * names an origin (see {@link CorsSettings}); a filter that passes everything on otherwise.
     */
    @Bean
    FilterRegistrationBean<Filter> cors(AnnexgateProperties properties) {
        Filter filter = CorsSettings.enabled(properties.cors()) ? CorsSettings.filter(properties.cors())
                : (request, response, chain) -> chain.doFilter(request, response);
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
        registration.setName("cors");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        registration.addUrlPatterns("/git-annex/*");
        registration.setEnabled(CorsSettings.enabled(properties.cors()));
        return registration;
    }

    @Bean
    FilterRegistrationBean<ApiRequestMetricsFilter> apiRequestMetricsFilter(AnnexgateMetrics metrics) {
        FilterRegistrationBean<ApiRequestMetricsFilter> registration = new FilterRegistrationBean<>(new ApiRequestMetricsFilter(metrics));
        registration.addUrlPatterns("/git-annex/*");
        return registration;
    }

    /**
     * Keys in paths may hold {@code /} (URL keys, sent as {@code %2F}), {@code ;}, or come
     * {@code [base64]}-wrapped unencoded: accept such paths; controllers decode the raw URI.
     */
    @Bean
    WebServerFactoryCustomizer<JettyServletWebServerFactory> keyFriendlyUris() {
        return factory -> factory.addServerCustomizers((JettyServerCustomizer) WebConfiguration::allowEncodedSeparators);
    }

    /** Errors Jetty answers itself (unparseable requests, URI or headers too long) as short plain text, not HTML. */
    @Bean
    WebServerFactoryCustomizer<JettyServletWebServerFactory> plainErrors() {
        return factory -> factory.addServerCustomizers(server -> server.setErrorHandler(PlainErrors.jettyHandler()));
    }

    /** {@code --socket}: the API on a Unix domain socket instead of TCP (the management port stays TCP). */
    @Bean
    WebServerFactoryCustomizer<JettyServletWebServerFactory> unixSocket(AnnexgateProperties properties) {
        return factory -> {
            if (properties.socket() != null) {
                factory.addServerCustomizers(server -> UnixSocketListener.listenOn(server, properties.socket()));
            }
        };
    }

    private static void allowEncodedSeparators(Server server) {
        UriCompliance compliance = UriCompliance.DEFAULT.with("annexgate",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
                UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT,
                UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT,
                UriCompliance.Violation.AMBIGUOUS_PATH_PARAMETER,
                UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS,
                UriCompliance.Violation.ILLEGAL_PATH_CHARACTERS);
        for (Connector connector : server.getConnectors()) {
            HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
            if (http != null) {
                HttpConfiguration config = http.getHttpConfiguration();
                config.setUriCompliance(compliance);
                config.setSendServerVersion(false);
            }
        }
        for (ServletContextHandler handler : server.getDescendants(ServletContextHandler.class)) {
            handler.getServletHandler().setDecodeAmbiguousURIs(true);
        }
    }
}
