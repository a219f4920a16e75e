package io.annexgate.config;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Serves a renewed certificate without a restart. P2pHttpEnvironment puts --certfile and
 * --privatekeyfile in the SSL bundle {@value #BUNDLE} with reload-on-update, so Spring Boot
 * watches the files (a Kubernetes Secret's symlink swap too) and updates the bundle; Spring
 * Boot's Jetty does not act on that update, so this hands the new key store to the API
 * connector's SslContextFactory, and new handshakes get the new certificate.
 */
public final class TlsReload implements ApplicationListener<WebServerInitializedEvent> {

    /** The SSL bundle that carries the API port's certificate and key. */
    public static final String BUNDLE = "annexgate";

    private static final Log log = LogFactory.getLog(TlsReload.class);

    private final SslBundles bundles;

    public TlsReload(SslBundles bundles) {
        this.bundles = bundles;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (!(event.getWebServer() instanceof JettyWebServer jetty)) {
            return;
        }
        for (Connector connector : jetty.getServer().getConnectors()) {
            SslConnectionFactory ssl = connector.getConnectionFactory(SslConnectionFactory.class);
            if (ssl != null) {
                SslContextFactory.Server factory = ssl.getSslContextFactory();
                bundles.addBundleUpdateHandler(BUNDLE, bundle -> reload(factory, bundle));
            }
        }
    }

    static void reload(SslContextFactory.Server factory, SslBundle bundle) {
        SslStoreBundle stores = bundle.getStores();
        try {
            String password = bundle.getKey().getPassword();
            if (!keysMatchCertificates(stores.getKeyStore(), password == null ? null : password.toCharArray())) {
                log.warn("annexgate: the HTTPS private key does not match the certificate on disk (one of the two was"
                        + " replaced alone?); the previous certificate stays served until both match");
                return;
            }
            factory.reload(f -> {
                KeyStore keys = stores.getKeyStore();
                f.setKeyStore(keys);
                if (stores.getKeyStorePassword() != null) {
                    f.setKeyStorePassword(stores.getKeyStorePassword());
                }
                if (stores.getTrustStore() != null) {
                    f.setTrustStore(stores.getTrustStore());
                }
            });
            log.info("annexgate: the HTTPS certificate changed on disk and is served from now on");
        } catch (Exception e) {
            log.error("annexgate: cannot serve the changed HTTPS certificate, the previous one stays: " + e.getMessage(), e);
        }
    }

    /**
     * Whether each private key is the one its certificate was made for: Spring Boot builds a bundle
     * from a certificate and a key that do not belong together, and Jetty would then fail every
     * handshake.
     */
    static boolean keysMatchCertificates(KeyStore keys, char[] password) throws GeneralSecurityException {
        for (String alias : Collections.list(keys.aliases())) {
            if (keys.isKeyEntry(alias) && keys.getKey(alias, password) instanceof PrivateKey key
                    && keys.getCertificate(alias) instanceof X509Certificate certificate
                    && !TlsFiles.matches(key, certificate)) {
                return false;
            }
        }
        return true;
    }
}
