package io.annexgate.testing;

import io.annexgate.AnnexgateApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Annexgate started in this JVM on free loopback ports, serving a real repository, configured
 * with the same flags the launcher takes.
 */
public final class AnnexgateServer implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final int port;

    private AnnexgateServer(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Serves {@code repository} with p2phttp-style {@code flags}, e.g. {@code --wideopen}. */
    public static AnnexgateServer serve(Path repository, String... flags) {
        return serve(new SpringApplicationBuilder(AnnexgateApplication.class), repository, flags);
    }

    /** As {@link #serve(Path, String...)}, with {@code bean} in the context for the server to use instead of its own. */
    public static <T> AnnexgateServer serveWith(Class<T> type, T bean, Path repository, String... flags) {
        return serve(new SpringApplicationBuilder(AnnexgateApplication.class).initializers(
                context -> ((GenericApplicationContext) context).registerBean(type, () -> bean)), repository, flags);
    }

    /** Like {@link #serve}, with {@code extraSources} (test configurations) added to the application. */
    public static AnnexgateServer serveWith(Class<?>[] extraSources, Path repository, String... flags) {
        return serve(new SpringApplicationBuilder(AnnexgateApplication.class).sources(extraSources), repository, flags);
    }

    private static AnnexgateServer serve(SpringApplicationBuilder builder, Path repository, String... flags) {
        List<String> args = new ArrayList<>(List.of(
                "--annexgate.repository=" + repository,
                "--annexgate.port=0",
                "--annexgate.bind=127.0.0.1",
                "--management.server.port=0",
                "--management.server.address=127.0.0.1"));
        args.addAll(translate(flags));
        ConfigurableApplicationContext context = builder.run(args.toArray(String[]::new));
        return new AnnexgateServer(context);
    }

    /**
     * p2phttp flags as the launcher translates them; {@code --GIT_ANNEX_P2PHTTP_*=...} stand in
     * for the users' environment variables (the server reads both).
     */
    private static List<String> translate(String[] flags) {
        List<String> users = List.of(flags).stream().filter(f -> f.startsWith("--GIT_ANNEX_P2PHTTP_")).toList();
        String[] p2phttp = List.of(flags).stream().filter(f -> !users.contains(f)).toArray(String[]::new);
        var parsed = io.annexgate.config.P2pHttpArguments.parse(p2phttp, "test");
        if (parsed instanceof io.annexgate.config.P2pHttpArguments.Parsed.Run run) {
            List<String> all = new ArrayList<>(run.springArguments());
            all.addAll(users);
            return all;
        }
        throw new IllegalArgumentException("flags do not start a server: " + List.of(flags));
    }

    public int port() {
        return port;
    }

    public int managementPort() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.management.port", "-1"));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** What a client puts in {@code remote.NAME.annexUrl}. */
    public String annexUrl() {
        return "annex+http://127.0.0.1:" + port + "/git-annex/";
    }

    /** What Prometheus would scrape from the management port. */
    public String prometheus() {
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                    + managementPort() + "/actuator/prometheus")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sum of the samples in {@code scrape} whose line starts with {@code prefix} and contains {@code tag}. */
    public static double sum(String scrape, String prefix, String tag) {
        return scrape.lines().filter(l -> l.startsWith(prefix) && l.contains(tag))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** The API's web server (Jetty, wrapped by Spring Boot). */
    public org.springframework.boot.web.server.WebServer webServer() {
        return ((WebServerApplicationContext) context).getWebServer();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
