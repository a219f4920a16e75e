package io.annexgate.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Whom proxied remotes reached over https (annex+https remotes, S3 endpoints) are trusted by: the
 * JDK's certificate authorities, plus those of a PEM file when one is named
 * ({@code annexgate.proxy.ca-file}): an organisation's own authority, or the system bundle
 * git-annex itself trusts (the JDK keeps its own list, so a certificate added to the system's
 * store only is unknown to it).
 */
public final class TrustedCertificates {

    private final TrustManager[] managers;

    private TrustedCertificates(TrustManager[] managers) {
        this.managers = managers;
    }

    /** The JDK's authorities only. */
    public static TrustedCertificates jdk() {
        return new TrustedCertificates(null);
    }

    /**
     * The JDK's authorities and every certificate in {@code caFile}, when named.
     *
     * @throws IllegalArgumentException when the file cannot be read or holds no certificate
     */
    public static TrustedCertificates with(Optional<Path> caFile) {
        if (caFile.isEmpty()) {
            return jdk();
        }
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (X509Certificate authority : defaultTrustManager().getAcceptedIssuers()) {
                trusted.setCertificateEntry("jdk-" + n++, authority);
            }
            Collection<? extends Certificate> added = read(caFile.get());
            if (added.isEmpty()) {
                throw new IllegalArgumentException("no certificate in annexgate.proxy.ca-file " + caFile.get());
            }
            for (Certificate certificate : added) {
                trusted.setCertificateEntry("file-" + n++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            return new TrustedCertificates(factory.getTrustManagers());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS trust for proxied remotes: " + e.getMessage(), e);
        }
    }

    /** The trust managers to use, or empty for the JDK's defaults. */
    public Optional<TrustManager[]> trustManagers() {
        return Optional.ofNullable(managers).map(TrustManager[]::clone);
    }

    /** A TLS context trusting these authorities. */
    public SSLContext sslContext() {
        try {
            if (managers == null) {
                return SSLContext.getDefault();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, managers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for proxied remotes: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> read(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("cannot read annexgate.proxy.ca-file " + pem + ": " + e.getMessage(), e);
        }
    }

    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the JDK has no X.509 trust manager");
    }
}
