package io.annexgate.testing;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** TLS for tests against self-signed certificates: every server certificate is accepted and shown to a callback. */
public final class TrustAll {

    /** A fresh context (no sessions to resume) that hands each server's leaf certificate to {@code seen}. */
    public static SSLContext context(Consumer<X509Certificate> seen) throws GeneralSecurityException {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen.accept(chain[0]);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ssl;
    }

    private TrustAll() {
    }
}
