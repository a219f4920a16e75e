package io.annexgate.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Derives Spring's web server settings from {@code annexgate.*}: the API port and address, and
 * HTTPS from the PEM files p2phttp takes (a chain file is appended to the certificate), as an
 * SSL bundle reloaded when the files change.
 */
public class P2pHttpEnvironment implements EnvironmentPostProcessor {

    static final String SOURCE = "annexgate-derived";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> derived = new HashMap<>();
        Binder binder = Binder.get(environment);
        String port = environment.getProperty("annexgate.port", "9417").strip();
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
            throw new StartupFailure("--port takes a port number from 0 to 65535, not " + port);
        }
        derived.put("server.port", port);
        String bind = environment.getProperty("annexgate.bind");
        if (bind != null && !bind.isBlank()) {
            derived.put("server.address", bind);
        }
        String cert = environment.getProperty("annexgate.tls.certfile");
        String key = environment.getProperty("annexgate.tls.privatekeyfile");
        boolean certGiven = cert != null && !cert.isBlank();
        boolean keyGiven = key != null && !key.isBlank();
        if (certGiven != keyGiven) {
            throw new StartupFailure("You must use both --certfile and --privatekeyfile options to enable HTTPS.");
        }
        if (certGiven) {
            TlsFiles.check(Path.of(cert), Path.of(key));
            List<String> chain = binder.bind("annexgate.tls.chainfiles", Bindable.listOf(String.class)).orElse(List.of());
            derived.put("server.ssl.enabled", "true");
            // an SSL bundle whose files Spring Boot watches: a renewed certificate is served without a restart (TlsReload)
            String bundle = "spring.ssl.bundle.pem." + TlsReload.BUNDLE + ".";
            derived.put(bundle + "keystore.certificate", "file:" + certificateWithChain(cert, chain, derived));
            derived.put(bundle + "keystore.private-key", "file:" + Path.of(key).toAbsolutePath());
            derived.put(bundle + "reload-on-update", "true");
            derived.put("server.ssl.bundle", TlsReload.BUNDLE);
            // probes and metrics stay plain HTTP on the management port
            derived.put("management.server.ssl.enabled", "false");
        }
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, derived));
    }

    private static Path certificateWithChain(String cert, List<String> chain, Map<String, Object> derived) {
        Path certificate = Path.of(cert).toAbsolutePath();
        if (chain.isEmpty()) {
            return certificate;
        }
        try {
            Path combined = ChainedCertificate.create(certificate, chain.stream().map(c -> Path.of(c).toAbsolutePath()).toList());
            derived.put(ChainedCertificate.PROPERTY, combined.toString());
            return combined;
        } catch (IOException e) {
            throw new StartupFailure("cannot read the certificate files: " + e.getMessage(), e);
        }
    }
}
