package io.annexgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Raw requests to the P2P HTTP API, for the protocol details a git-annex client does not show. */
public final class RawApi {

    public static final String CLIENT = "11111111-2222-3333-4444-555555555555";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String uuid;

    public RawApi(AnnexgateServer server, String uuid) {
        this(server.baseUrl(), uuid);
    }

    /** For a server at {@code base}, e.g. {@code http://127.0.0.1:PORT}. */
    public RawApi(String base, String uuid) {
        this.base = base;
        this.uuid = uuid;
    }

    /** A response, with the body as bytes and as text. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        /** The lock id of a lockcontent answer that locked; fails for any other answer. */
        public String lockId() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"lockid\":\"([^\"]+)\"").matcher(text());
            if (!m.find()) {
                throw new AssertionError("not locked: " + status + " " + text());
            }
            return m.group(1);
        }
    }

    public static String query(Object... pairs) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            parts.add(pairs[i] + "=" + URLEncoder.encode(String.valueOf(pairs[i + 1]), StandardCharsets.UTF_8));
        }
        return parts.stream().collect(Collectors.joining("&"));
    }

    public String path(String version, String endpoint, String query) {
        return "/git-annex/" + uuid + "/" + version + "/" + endpoint + (query.isEmpty() ? "" : "?" + query);
    }

    public Response post(String version, String endpoint, Object... pairs) {
        return send(HttpRequest.newBuilder(URI.create(base + path(version, endpoint, query(pairs))))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    public Response checkpresent(String key) {
        return post("v4", "checkpresent", "key", key, "clientuuid", CLIENT);
    }

    public Response get(String version, String key, Object... extra) {
        Object[] pairs = concat(new Object[] {"clientuuid", CLIENT}, extra);
        return send(HttpRequest.newBuilder(URI.create(base + path(version, "key/" + key, query(pairs)))).GET());
    }

    public Response raw(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(b);
    }

    public Response put(String version, String key, byte[] body, long dataLength, Object... extra) {
        Object[] pairs = concat(new Object[] {"key", key, "clientuuid", CLIENT}, extra);
        return send(HttpRequest.newBuilder(URI.create(base + path(version, "put", query(pairs))))
                .header("Content-Type", "application/octet-stream")
                .header("X-git-annex-data-length", Long.toString(dataLength))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /**
     * Starts a v4 put on a raw connection to the server: the request's head, then the first
     * {@code sent} bytes of {@code content}; the rest of the body is the caller's to send, or not.
     */
    public java.io.OutputStream startPut(java.net.Socket socket, String key, byte[] content, int sent) throws IOException {
        java.io.OutputStream out = socket.getOutputStream();
        out.write(("POST " + path("v4", "put", query("key", key, "clientuuid", CLIENT)) + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nX-git-annex-data-length: " + content.length
                + "\r\nContent-Length: " + content.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(content, 0, sent);
        out.flush();
        return out;
    }

    /** lockcontent of {@code key}; answers the lock id, failing unless it was locked. */
    public String lockContent(String key) {
        Response r = post("v4", "lockcontent", "key", key, "clientuuid", CLIENT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"lockid\":\"([^\"]+)\"").matcher(r.text());
        if (!m.find()) {
            throw new AssertionError("not locked: " + r.status() + " " + r.text());
        }
        return m.group(1);
    }

    /** Starts a keeplocked long poll whose body comes from {@code body}; the answer arrives when it ends. */
    public java.util.concurrent.CompletableFuture<HttpResponse<String>> keepLocked(String lockId, Supplier<InputStream> body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path("v4", "keeplocked", query("lockid", lockId, "clientuuid", CLIENT))))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(body))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A keeplocked that asks at once to unlock {@code lockId}, as a client done with it does; waits for the answer. */
    public HttpResponse<String> unlock(String lockId) {
        return keepLocked(lockId, () -> new java.io.ByteArrayInputStream(
                "{\"unlock\":true}\n".getBytes(StandardCharsets.UTF_8))).join();
    }

    /**
     * A GET written straight to the socket, for paths {@link URI} refuses (raw {@code [ ]}, as the
     * git-annex client sends them); answers the status line's code and the body after the headers.
     */
    public Response socketGet(String pathAndQuery) {
        String[] hostPort = base.substring("http://".length()).split(":");
        try (java.net.Socket socket = new java.net.Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            socket.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + hostPort[0]
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] all = socket.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(text.substring(9, 12));
            int bodyAt = text.indexOf("\r\n\r\n") + 4;
            return new Response(status, Map.of(), java.util.Arrays.copyOfRange(all, bodyAt, all.length));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<byte[]> r = http.send(builder.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] out = new Object[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
