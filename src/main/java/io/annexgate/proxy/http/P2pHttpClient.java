package io.annexgate.proxy.http;

import io.annexgate.proxy.TrustedCertificates;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * The one HTTP client all proxied annex+http remotes are reached with: HTTP/1.1 (as git-annex's
 * client and server speak it), connections kept and reused between requests, work on virtual threads.
 */
public final class P2pHttpClient implements AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("annexgate-proxy-http-", 0).factory());
    private final HttpClient http;

    /** Trusting the JDK's certificate authorities. */
    public P2pHttpClient() {
        this(TrustedCertificates.jdk().sslContext());
    }

    /** Trusting whom {@code tls} trusts (see {@link TrustedCertificates}). */
    public P2pHttpClient(SSLContext tls) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(tls)
                .executor(executor)
                .build();
    }

    HttpClient http() {
        return http;
    }

    /** Ends every exchange still open (held locks' long polls) without waiting for them. */
    @Override
    public void close() {
        http.shutdownNow();
        executor.shutdownNow();
    }
}
