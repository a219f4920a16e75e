package io.annexgate.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.annexgate.deploy.Chart.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the chart's environment against what the server reads: every variable the chart sets must bind, through
 * Spring Boot's relaxed binding of environment variables, to one of the server's configuration properties, and the
 * probe paths must be served by Spring Boot's actuator when configured by that environment.
 */
class ServerEnvironmentContractTest {

    /** The server's configuration properties (the contract with the server side). */
    static final Set<String> SERVER_PROPERTIES = Set.of(
            "annexgate.port", "annexgate.bind", "annexgate.repository", "annexgate.directories",
            "annexgate.jobs", "annexgate.cpus", "annexgate.lockedfiles", "annexgate.proxyconnections",
            "annexgate.clusterjobs", "annexgate.proxy.idle-timeout", "annexgate.proxy.ssh-command",
            "annexgate.proxy.ca-file",
            "annexgate.auth.wideopen", "annexgate.auth.unauth-readonly", "annexgate.auth.unauth-appendonly",
            "annexgate.auth.unauth-nolocking", "annexgate.auth.authenv", "annexgate.auth.authenv-http",
            "annexgate.tls.certfile", "annexgate.tls.privatekeyfile", "annexgate.tls.chainfiles",
            "annexgate.shutdown-grace",
            "management.server.port", "management.endpoint.health.probes.enabled");

    /** Variables read by git, git-annex or the JVM rather than by Spring. */
    static final Set<String> NOT_SPRING = Set.of("HOME", "JDK_JAVA_OPTIONS", "GIT_CONFIG_COUNT");

    static final String[] VALUES_FILES = {"default-values.yaml", "users-secret-values.yaml", "tls-values.yaml",
            "directories-ingress-values.yaml", "monitoring-values.yaml"};

    @ParameterizedTest
    @ValueSource(strings = {"default-values.yaml", "users-secret-values.yaml", "tls-values.yaml",
            "directories-ingress-values.yaml", "monitoring-values.yaml"})
    void everyVariableBindsToExactlyOneServerProperty(String valuesFile) {
        Map<String, String> env = Chart.render(valuesFile).envValues();
        env.forEach((name, value) -> {
            if (NOT_SPRING.contains(name) || name.startsWith("GIT_CONFIG_") || name.startsWith("GIT_ANNEX_P2PHTTP_")) {
                return;
            }
            assertThat(propertiesBoundBy(Map.of(name, value))).as("properties bound by %s", name)
                    .hasSize(1)
                    .allSatisfy((property, bound) -> assertThat(bound).isEqualTo(value));
        });
    }

    @Test
    void theValuesFilesTogetherSetEveryServerProperty() {
        Set<String> bound = new HashSet<>();
        for (String file : VALUES_FILES) {
            bound.addAll(propertiesBoundBy(Chart.render(file).envValues()).keySet());
        }
        bound.addAll(propertiesBoundBy(Chart.render(null, "server.bind", "0.0.0.0", "server.cpus", 2).envValues()).keySet());
        bound.addAll(propertiesBoundBy(Chart.render(null, "auth.unauthAppendonly", true).envValues()).keySet());
        assertThat(bound).containsExactlyInAnyOrderElementsOf(SERVER_PROPERTIES);
    }

    @Test
    void listsBindAsLists() {
        Binder binder = binder(Chart.render("tls-values.yaml", "tls.chainKeys[1]", "intermediate.crt").envValues());
        assertThat(binder.bind("annexgate.tls.chainfiles", Bindable.listOf(String.class)).get())
                .containsExactly("/etc/annexgate/tls/ca.crt", "/etc/annexgate/tls/intermediate.crt");
        assertThat(binder(Chart.render(null).envValues()).bind("annexgate.directories", Bindable.listOf(String.class)).get())
                .containsExactly("/data/repos");
    }

    @Test
    void probePathsAreServedByTheActuatorThatTheChartConfigures() throws Exception {
        Chart chart = Chart.render(null);
        Map<String, String> env = new LinkedHashMap<>(chart.envValues());
        // Never bind the real ports in a test.
        env.remove("ANNEXGATE_PORT");
        env.remove("MANAGEMENT_SERVER_PORT");

        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        sources.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new LinkedHashMap<>(env)));
        sources.addFirst(new MapPropertySource("test-ports", Map.of(
                "server.port", "0", "management.server.port", "0", "server.address", "127.0.0.1",
                "management.server.address", "127.0.0.1")));

        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ProbeApp.class)
                .environment(environment)
                .web(WebApplicationType.SERVLET)
                .logStartupInfo(false)
                .run()) {
            String port = context.getEnvironment().getProperty("local.management.port");
            assertThat(port).isNotNull();
            HttpClient http = HttpClient.newHttpClient();
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                String path = (String) map(chart.container(), probe, "httpGet").get("path");
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as("%s %s", probe, path).isEqualTo(200);
                assertThat(response.body()).contains("\"UP\"");
            }
        }
    }

    @Test
    void theChartsServerGraceBecomesTheShutdownPhaseTimeout() throws Exception {
        Map<String, String> env = Chart.render(null, "shutdown.gracePeriodSeconds", 300).envValues();
        assertThat(withApplicationProperties(env).bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class).get())
                .isEqualTo(Duration.ofSeconds(280));
        Binder defaults = withApplicationProperties(Map.of());
        assertThat(defaults.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class).get())
                .as("the server's own grace for transfers at shutdown").isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.bind("server.shutdown", String.class).get()).isEqualTo("graceful");
    }

    /** The server's application.properties under the given environment variables, as Spring Boot binds them. */
    static Binder withApplicationProperties(Map<String, String> env) throws java.io.IOException {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        sources.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new LinkedHashMap<>(env)));
        sources.addLast(new ResourcePropertySource("application.properties", new ClassPathResource("application.properties")));
        ConfigurationPropertySources.attach(environment);
        return Binder.get(environment);
    }

    /** Which server properties a set of environment variables binds, with the bound values. */
    static Map<String, String> propertiesBoundBy(Map<String, String> env) {
        Binder binder = binder(env);
        Map<String, String> bound = new TreeMap<>();
        for (String property : SERVER_PROPERTIES) {
            binder.bind(property, String.class).ifBound(value -> bound.put(property, value));
        }
        return bound;
    }

    static Binder binder(Map<String, String> env) {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        sources.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new LinkedHashMap<>(env)));
        return new Binder(ConfigurationPropertySources.from(sources));
    }

    /** Just Spring Boot's auto-configuration (Jetty, actuator), none of the server's beans. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ProbeApp {
    }
}
