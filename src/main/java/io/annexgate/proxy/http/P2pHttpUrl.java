package io.annexgate.proxy.http;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.ApiVersion;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * An {@code annex+http://} or {@code annex+https://} url, read as git-annex reads it
 * ({@code P2P/Http/Url.hs}): without {@code annex+}, the port 9417 unless one is named, and a path
 * of exactly {@code /git-annex} dropped, since the API's own paths start with {@code /git-annex/}
 * (any other path is a prefix kept in front of them, as upstream keeps it). A user and password in
 * the url are sent as Basic credentials.
 *
 * @param url the url as configured
 * @param base scheme, host, port and path prefix the API paths are appended to (no user info)
 * @param credential the user and password the url carries, if any
 */
public record P2pHttpUrl(String url, URI base, Optional<BasicCredential> credential) {

    /** git-annex's default port for the HTTP API (git's own is 9418). */
    public static final int DEFAULT_PORT = 9417;

    private static final String PREFIX = "annex+";

    /** Whether git-annex would take {@code url} for the P2P protocol over HTTP. */
    public static boolean isP2pHttpUrl(String url) {
        String u = url.strip();
        return u.startsWith("annex+http://") || u.startsWith("annex+https://");
    }

    /** The url, or empty when it is not an annex+http(s) url or cannot be parsed. */
    public static Optional<P2pHttpUrl> parse(String url) {
        if (url == null || !isP2pHttpUrl(url)) {
            return Optional.empty();
        }
        URI u;
        try {
            u = new URI(url.strip().substring(PREFIX.length()));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (u.getHost() == null) {
            return Optional.empty();
        }
        int port = u.getPort() < 0 ? DEFAULT_PORT : u.getPort();
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.equals("/git-annex")) {
            path = "";
        }
        Optional<BasicCredential> credential = Optional.ofNullable(u.getRawUserInfo()).map(P2pHttpUrl::userInfo);
        try {
            URI base = new URI(u.getScheme().toLowerCase(Locale.ROOT) + "://" + hostForUri(u.getHost()) + ":" + port
                    + path);
            return Optional.of(new P2pHttpUrl(url.strip(), base, credential));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String hostForUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static BasicCredential userInfo(String rawUserInfo) {
        int colon = rawUserInfo.indexOf(':');
        String user = decode(colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon));
        String password = colon < 0 ? "" : decode(rawUserInfo.substring(colon + 1));
        return new BasicCredential(user, password);
    }

    /** The {@code Authorization} header value for the url's own credentials, if it carries some. */
    public Optional<String> authorization() {
        return credential.map(BasicCredential::authorization);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** {@code <base>/git-annex/<uuid>/v<N>/<endpoint>?<query>}; {@code query} is already encoded. */
    public URI endpoint(AnnexUuid uuid, ApiVersion version, String endpoint, String query) {
        return URI.create(base + "/git-annex/" + encode(uuid.toWire()) + "/" + version.segment() + "/" + endpoint
                + (query.isEmpty() ? "" : "?" + query));
    }

    /** Percent-encoding for a query value or a path segment. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** For logs and answers: the url without credentials. */
    public String redacted() {
        return credential.isPresent() ? "annex+" + base : url;
    }

    /** Without the credentials, which are not for logs. */
    @Override
    public String toString() {
        return "P2pHttpUrl[" + redacted() + "]";
    }
}
