package io.annexgate.proxy.http;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.ApiVersion;
import io.annexgate.protocol.Base64Wrapped;
import io.annexgate.protocol.InvalidValueException;
import io.annexgate.protocol.Key;
import io.annexgate.service.ProtocolFailure;
import io.annexgate.service.ProxiedNotFound;
import io.annexgate.service.ProxyUnavailable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One remote's P2P HTTP API, as the git-annex client calls it ({@code P2P/Http/Client.hs}): every
 * request names the served repository as {@code clientuuid} (as a proxy's P2P connections do) and
 * passes the client's {@code bypass} list on. The remote's answers map onto ours: 200 is read, 404
 * (and the reference's 400 {@code bad version}) is relayed as 404 so the client falls back to an
 * older version as it would with the remote itself, 500 is relayed as the protocol failure it
 * reports, and anything else (401, 403, 502, unreachable) answers 502.
 *
 * @param uuid the remote's uuid ({@code remote.NAME.annex-uuid}), the one the API paths name
 * @param name the remote's name, for messages
 * @param url where its API is
 * @param credentials what it is asked with
 * @param self the served repository, sent as {@code clientuuid}
 * @param client the shared HTTP client
 */
public record P2pHttpRemote(AnnexUuid uuid, String name, P2pHttpUrl url, RemoteCredentials credentials, AnnexUuid self,
        P2pHttpClient client) {

    /** Bound on waiting for an answer that carries no content. */
    static final Duration TIMEOUT = Duration.ofMinutes(2);

    static final String DATA_LENGTH = "X-git-annex-data-length";
    static final String AUTHORIZATION = "Authorization";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int ERROR_TEXT_BYTES = 4096;

    /** {@code clientuuid}, each {@code bypass}, then {@code pairs} (name, value, ...), percent-encoded. */
    String query(Set<AnnexUuid> bypass, String... pairs) {
        List<String> parts = new ArrayList<>();
        parts.add("clientuuid=" + P2pHttpUrl.encode(self.toWire()));
        bypass.stream().map(b -> "bypass=" + P2pHttpUrl.encode(b.toWire())).sorted().forEach(parts::add);
        for (int i = 0; i < pairs.length; i += 2) {
            parts.add(pairs[i] + "=" + P2pHttpUrl.encode(pairs[i + 1]));
        }
        return parts.stream().collect(Collectors.joining("&"));
    }

    static String wire(Key key) {
        return Base64Wrapped.encode(key.serialize());
    }

    HttpRequest.Builder request(ApiVersion version, String endpoint, String query) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url.endpoint(uuid, version, endpoint, query));
        credentials.authorization().ifPresent(a -> builder.header(AUTHORIZATION, a));
        return builder;
    }

    /** A POST without a body; its JSON answer. A remote that fails to answer is a 502. */
    JsonNode post(ApiVersion version, String endpoint, Set<AnnexUuid> bypass, String... pairs) {
        HttpRequest request = request(version, endpoint, query(bypass, pairs))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(TIMEOUT).build();
        try {
            return json(send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** The JSON object of a 200 answer; other statuses as the class describes. */
    JsonNode json(HttpResponse<String> response) {
        check(response.statusCode(), response.body());
        try {
            JsonNode node = JSON.readTree(response.body());
            if (node == null || !node.isObject()) {
                throw new ProxyUnavailable("remote " + name + " answered " + abbreviate(response.body()));
            }
            return node;
        } catch (JacksonException e) {
            throw new ProxyUnavailable("remote " + name + " answered " + abbreviate(response.body()), e);
        }
    }

    /**
     * Sends, turning a remote that cannot be reached into a 502. A 401 is answered with credentials
     * from git's helpers ({@link RemoteCredentials}) and the request sent again, when its body can be
     * sent twice (a streamed put's cannot: the credential then serves the next request).
     */
    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        Optional<String> sent = request.headers().firstValue(AUTHORIZATION);
        HttpResponse<T> response = sendOnce(request, handler);
        if (response.statusCode() != 401) {
            if (response.statusCode() == 200) {
                credentials.accepted(sent);
            }
            return response;
        }
        Optional<String> retry = credentials.afterUnauthorized(sent);
        if (retry.isEmpty() || !resendable(request)) {
            return response;
        }
        discard(response);
        HttpRequest again = HttpRequest.newBuilder(request, (header, value) -> !header.equalsIgnoreCase(AUTHORIZATION))
                .header(AUTHORIZATION, retry.get()).build();
        HttpResponse<T> second = sendOnce(again, handler);
        if (second.statusCode() == 401) {
            credentials.afterUnauthorized(retry);
        } else if (second.statusCode() == 200) {
            credentials.accepted(retry);
        }
        return second;
    }

    private static boolean resendable(HttpRequest request) {
        return request.bodyPublisher().map(body -> body.contentLength() == 0).orElse(true);
    }

    private static void discard(HttpResponse<?> response) throws IOException {
        if (response.body() instanceof InputStream body) {
            body.close();
        }
    }

    private <T> HttpResponse<T> sendOnce(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return client.http().send(request, handler);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for remote " + name);
        }
    }

    <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return client.http().sendAsync(request, handler);
    }

    ProxyUnavailable unreachable(IOException e) {
        return new ProxyUnavailable("cannot reach remote " + name + " at " + url.redacted() + ": " + describe(e), e);
    }

    ProxyUnavailable failed(IOException e) {
        return new ProxyUnavailable("remote " + name + " failed: " + describe(e), e);
    }

    static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Throws for every status but 200, as the class describes. */
    void check(int status, String body) {
        if (status == 200) {
            return;
        }
        String text = abbreviate(body == null ? "" : body);
        if (status == 404 || status == 400 && text.strip().equals("bad version")) {
            throw new ProxiedNotFound(text);
        }
        if (status == 500) {
            throw new ProtocolFailure(text);
        }
        throw new ProxyUnavailable("remote " + name + " answered " + status + (text.isBlank() ? "" : ": " + text));
    }

    /** The status check for a streamed answer: reads (a little of) an error's text, then closes it. */
    void check(HttpResponse<InputStream> response) throws IOException {
        if (response.statusCode() == 200) {
            return;
        }
        String text;
        try (InputStream body = response.body()) {
            text = new String(body.readNBytes(ERROR_TEXT_BYTES), StandardCharsets.UTF_8);
        }
        check(response.statusCode(), text);
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    /** {@code plusuuids} of an answer (absent before v2). */
    static List<AnnexUuid> plusUuids(JsonNode answer) {
        List<AnnexUuid> plus = new ArrayList<>();
        for (JsonNode u : answer.path("plusuuids")) {
            try {
                plus.add(AnnexUuid.fromWire(u.asString()));
            } catch (InvalidValueException e) {
                // not a uuid: nothing to report
            }
        }
        return plus;
    }

    /** A boolean field that must be there. */
    boolean flag(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.isBoolean()) {
            throw new ProxyUnavailable("remote " + name + " answered without " + field + ": " + answer);
        }
        return value.booleanValue();
    }
}
