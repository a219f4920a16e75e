package io.annexgate.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.annexgate.locking.CaffeineLockRegistry;
import io.annexgate.locking.LockRegistry;
import io.annexgate.locking.SystemMonotonicClock;
import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.ApiVersion;
import io.annexgate.protocol.Key;
import io.annexgate.repository.LocationLog;
import io.annexgate.service.ContentSource;
import io.annexgate.service.LockOutcome;
import io.annexgate.service.ProtocolFailure;
import io.annexgate.service.ProxiedNotFound;
import io.annexgate.service.ProxyUnavailable;
import io.annexgate.service.PutOffsetOutcome;
import io.annexgate.service.PutOutcome;
import io.annexgate.service.RemoveOutcome;
import io.annexgate.service.Upload;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP remote target against a scripted remote API: what it sends, and how it reads the answers. */
class HttpRemoteTargetTest {

    private static final AnnexUuid REMOTE = new AnnexUuid("0badc0de-0000-4000-8000-000000000055");
    private static final AnnexUuid SELF = new AnnexUuid("5e1f0000-aaaa-bbbb-cccc-000000000055");
    private static final AnnexUuid GATEWAY = new AnnexUuid("0badc0de-0000-4000-8000-0000000000bb");
    private static final Key KEY = Key.of("SHA256E", 10, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.bin");

    private static HttpServer server;
    private static volatile HttpHandler handler;
    private static final List<HttpExchange> seen = new CopyOnWriteArrayList<>();
    private static P2pHttpClient client;

    private final List<String> logged = new ArrayList<>();
    private final LocationLog locationLog = new LocationLog() {
        @Override
        public void record(Key key, AnnexUuid uuid, boolean present) {
            logged.add(key.serialize() + " " + uuid.value() + " " + present);
        }

        @Override
        public boolean says(Key key, AnnexUuid uuid) {
            return false;
        }
    };
    private final LockRegistry locks = new CaffeineLockRegistry(new SystemMonotonicClock(), 2);

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            seen.add(exchange);
            handler.handle(exchange);
        });
        server.start();
        client = new P2pHttpClient();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.stop(0);
    }

    @BeforeEach
    void clear() {
        seen.clear();
    }

    private static P2pHttpRemote remote(String userInfo) {
        P2pHttpUrl url = P2pHttpUrl.parse("annex+http://" + userInfo + "127.0.0.1:" + server.getAddress().getPort()
                + "/git-annex/").orElseThrow();
        return new P2pHttpRemote(REMOTE, "r", url, RemoteCredentials.ofUrl(url), SELF, client);
    }

    private HttpRemoteTarget target(ApiVersion version, String userInfo) {
        return (HttpRemoteTarget) new HttpRemoteTarget(remote(userInfo), locationLog, locks, ApiVersion.V0, Set.of())
                .forRequest(version, Set.of(GATEWAY));
    }

    private HttpRemoteTarget target(ApiVersion version) {
        return target(version, "");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void json(String body) {
        handler = exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            answer(exchange, 200, body);
        };
    }

    /** A GET answer announcing {@code announced} bytes and sending {@code body}. */
    private static void content(long announced, byte[] body) {
        handler = exchange -> {
            exchange.getResponseHeaders().add("X-git-annex-data-length", Long.toString(announced));
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        };
    }

    private static long fetch(HttpRemoteTarget target, long offset, boolean signal, ByteArrayOutputStream out)
            throws IOException {
        try (ContentSource content = target.get(KEY).orElseThrow()) {
            content.lengthFrom(offset);
            return content.transferTo(offset, b -> out.write(b.array(), b.arrayOffset() + b.position(), b.remaining()), signal);
        }
    }

    @Test
    void getNamesTheRemoteAndStreamsWhatItSends() throws Exception {
        byte[] body = "0123456789".getBytes(StandardCharsets.US_ASCII);
        content(7, java.util.Arrays.copyOfRange(body, 3, 10));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(fetch(target(ApiVersion.V4, "alice:pw@"), 3, true, out)).isEqualTo(7);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("3456789");
        HttpExchange get = seen.getFirst();
        assertThat(get.getRequestMethod()).isEqualTo("GET");
        assertThat(get.getRequestURI().getRawPath()).isEqualTo("/git-annex/" + REMOTE.value() + "/v4/key/" + KEY.serialize());
        assertThat(get.getRequestURI().getRawQuery()).isEqualTo(
                "clientuuid=" + SELF.value() + "&bypass=" + GATEWAY.value() + "&offset=3");
        assertThat(get.getRequestHeaders().getFirst("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("alice:pw".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void contentTheRemoteSendsShortOrLongReachesTheClientShortWhenValiditySignallingIsOn() throws Exception {
        byte[] ten = "0123456789".getBytes(StandardCharsets.US_ASCII);
        content(10, java.util.Arrays.copyOf(ten, 9));
        ByteArrayOutputStream shortOut = new ByteArrayOutputStream();
        assertThat(fetch(target(ApiVersion.V4), 0, true, shortOut)).isLessThan(10);
        assertThat(shortOut.toByteArray()).isEqualTo(java.util.Arrays.copyOf(ten, shortOut.size()));

        content(10, "0123456789AB".getBytes(StandardCharsets.US_ASCII));
        assertThat(fetch(target(ApiVersion.V4), 0, true, new ByteArrayOutputStream())).isLessThan(10);
        ByteArrayOutputStream v0 = new ByteArrayOutputStream();
        assertThat(fetch(target(ApiVersion.V0), 0, false, v0)).isEqualTo(10);
        assertThat(v0.toByteArray()).isEqualTo(ten);
    }

    @Test
    void answersOtherThan200MapOntoOurs() {
        handler = exchange -> answer(exchange, 404, "bad version");
        assertThatThrownBy(() -> target(ApiVersion.V4).checkPresent(KEY)).isInstanceOf(ProxiedNotFound.class)
                .hasMessage("bad version");
        assertThatThrownBy(() -> target(ApiVersion.V4).get(KEY).orElseThrow().lengthFrom(0))
                .isInstanceOf(ProxiedNotFound.class);
        handler = exchange -> answer(exchange, 400, "bad version");
        assertThatThrownBy(() -> target(ApiVersion.V4).checkPresent(KEY)).isInstanceOf(ProxiedNotFound.class);
        handler = exchange -> answer(exchange, 500, "transfer already in progress, or unable to take transfer lock");
        assertThatThrownBy(() -> target(ApiVersion.V4).putOffset(KEY)).isInstanceOf(ProtocolFailure.class)
                .hasMessageContaining("transfer already in progress");
        handler = exchange -> answer(exchange, 403, "");
        assertThatThrownBy(() -> target(ApiVersion.V4).checkPresent(KEY)).isInstanceOf(ProxyUnavailable.class)
                .hasMessage("remote r answered 403");
        json("{\"nothing\":1}");
        assertThatThrownBy(() -> target(ApiVersion.V4).checkPresent(KEY)).isInstanceOf(ProxyUnavailable.class);
    }

    @Test
    void putStreamsTheBodyWithItsLengthAndRecordsTheRemoteAsHavingIt() throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        handler = exchange -> {
            received.write(exchange.getRequestBody().readAllBytes());
            answer(exchange, 200, "{\"plusuuids\":[\"" + GATEWAY.value() + "\"],\"stored\":true}");
        };
        byte[] body = "3456789".getBytes(StandardCharsets.US_ASCII);
        PutOutcome outcome = target(ApiVersion.V4).put(new Upload(KEY, null, 3, 7, false, new ByteArrayInputStream(body)));
        assertThat(outcome).isEqualTo(new PutOutcome.Stored(List.of(GATEWAY)));
        assertThat(received.toByteArray()).isEqualTo(body);
        HttpExchange put = seen.getFirst();
        assertThat(put.getRequestURI().getRawPath()).endsWith("/v4/put");
        assertThat(put.getRequestURI().getRawQuery()).contains("&key=" + KEY.serialize() + "&offset=3");
        assertThat(put.getRequestHeaders().getFirst("X-git-annex-data-length")).isEqualTo("7");
        assertThat(logged).containsExactly(KEY.serialize() + " " + REMOTE.value() + " true");

        // a client sending more than it announced: the remote gets the announced bytes only
        received.reset();
        target(ApiVersion.V4).put(new Upload(KEY, null, 0, 4, false, new ByteArrayInputStream(body)));
        assertThat(received.toString(StandardCharsets.US_ASCII)).isEqualTo("3456");

        json("{\"stored\":false}");
        assertThat(target(ApiVersion.V1).put(new Upload(KEY, null, 0, 10, false, new ByteArrayInputStream(new byte[4]))))
                .isInstanceOf(PutOutcome.NotStored.class);
        json("{\"plusuuids\":[],\"stored\":true}");
        assertThat(target(ApiVersion.V4).put(new Upload(KEY, null, 0, 10, true, new ByteArrayInputStream(new byte[0]))))
                .isInstanceOf(PutOutcome.Stored.class);
        assertThat(seen.getLast().getRequestURI().getRawQuery()).endsWith("&data-present=true");
        assertThat(seen.getLast().getRequestHeaders().getFirst("X-git-annex-data-length")).isEqualTo("0");
    }

    /** Closes the connection on a put without reading or answering; checkpresent says {@code present}. */
    private static void putBreaksOffAndCheckpresentSays(boolean present) {
        handler = exchange -> {
            if (exchange.getRequestURI().getRawPath().endsWith("/put")) {
                exchange.close();
            } else {
                exchange.getRequestBody().readAllBytes();
                answer(exchange, 200, "{\"present\":" + present + "}");
            }
        };
    }

    @Test
    void aPutTheRemoteBreaksOffIsStoredOnlyIfTheRemoteThenHasTheKey() throws Exception {
        byte[] body = new byte[300_000];
        putBreaksOffAndCheckpresentSays(true);
        assertThat(target(ApiVersion.V4).put(new Upload(KEY, null, 0, body.length, false, new ByteArrayInputStream(body))))
                .isEqualTo(new PutOutcome.Stored(List.of()));
        assertThat(seen.getLast().getRequestURI().getRawPath()).endsWith("/v4/checkpresent");
        assertThat(logged).containsExactly(KEY.serialize() + " " + REMOTE.value() + " true");

        putBreaksOffAndCheckpresentSays(false);
        assertThat(target(ApiVersion.V4).put(new Upload(KEY, null, 0, body.length, false, new ByteArrayInputStream(body))))
                .isInstanceOf(PutOutcome.NotStored.class);
        handler = exchange -> exchange.close();
        assertThat(target(ApiVersion.V4).put(new Upload(KEY, null, 0, body.length, false, new ByteArrayInputStream(body))))
                .isInstanceOf(PutOutcome.NotStored.class);
        assertThat(logged).hasSize(1);
    }

    @Test
    void putoffsetRemoveBeforeAndTimestampAskTheRemote() throws Exception {
        json("{\"offset\":4}");
        assertThat(target(ApiVersion.V2).putOffset(KEY)).isEqualTo(new PutOffsetOutcome.Offset(4));
        json("{\"alreadyhave\":true,\"plusuuids\":[]}");
        assertThat(target(ApiVersion.V2).putOffset(KEY)).isEqualTo(new PutOffsetOutcome.AlreadyHave(List.of()));
        json("{\"timestamp\":1234}");
        assertThat(target(ApiVersion.V4).timestamp()).isEqualTo(1234);
        json("{\"plusuuids\":[],\"removed\":true}");
        assertThat(target(ApiVersion.V3).remove(KEY, OptionalLong.of(1300))).isInstanceOf(RemoveOutcome.Removed.class);
        assertThat(seen.getLast().getRequestURI().getRawPath()).endsWith("/v3/remove-before");
        assertThat(seen.getLast().getRequestURI().getRawQuery()).endsWith("&timestamp=1300");
        json("{\"removed\":false}");
        assertThat(target(ApiVersion.V1).remove(KEY, OptionalLong.empty())).isInstanceOf(RemoveOutcome.NotRemoved.class);
        assertThat(seen.getLast().getRequestURI().getRawPath()).endsWith("/v1/remove");
        assertThat(logged).containsExactly(KEY.serialize() + " " + REMOTE.value() + " false");
    }

    @Test
    void aRemoteLockIsKeptByALongPollUntilOursIsReleased() throws Exception {
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        handler = exchange -> {
            if (exchange.getRequestURI().getPath().endsWith("/lockcontent")) {
                answer(exchange, 200, "{\"locked\":true,\"lockid\":\"remote-lock-1\"}");
                return;
            }
            assertThat(exchange.getRequestURI().getRawQuery()).contains("lockid=remote-lock-1");
            try (BufferedReader in = new BufferedReader(new InputStreamReader(exchange.getRequestBody(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            }
            lines.add("<end>");
            answer(exchange, 200, "{\"locked\":false}");
        };
        LockOutcome outcome = target(ApiVersion.V4).lockContent(KEY);
        assertThat(outcome).isInstanceOf(LockOutcome.Locked.class);
        assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"unlock\":false}");
        assertThat(locks.held()).isEqualTo(1);

        var kept = target(ApiVersion.V4).keepLocked(((LockOutcome.Locked) outcome).lockId()).orElseThrow();
        assertThat(lines.poll(300, TimeUnit.MILLISECONDS)).isNull();
        kept.unlock();
        assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"unlock\":true}");
        assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("<end>");
        assertThat(locks.held()).isZero();

        // at shutdown the long poll just ends: the remote decides what an abandoned lock does
        assertThat(target(ApiVersion.V4).lockContent(KEY)).isInstanceOf(LockOutcome.Locked.class);
        assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"unlock\":false}");
        locks.shutdown();
        assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("<end>");
    }

    @Test
    void aRemoteLockWhoseLongPollBreaksIsLostHere() throws Exception {
        CountDownLatch kept = new CountDownLatch(1);
        CountDownLatch breakIt = new CountDownLatch(1);
        handler = exchange -> {
            if (exchange.getRequestURI().getPath().endsWith("/lockcontent")) {
                answer(exchange, 200, "{\"locked\":true,\"lockid\":\"remote-lock-2\"}");
                return;
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(exchange.getRequestBody(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("{\"unlock\":false}");
            kept.countDown();
            try {
                breakIt.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // the remote goes away without an answer: the connection closes under the long poll
            exchange.close();
        };
        HttpRemoteTarget target = (HttpRemoteTarget) new HttpRemoteTarget(remote(""), locationLog, locks,
                ApiVersion.V4, Set.of(), Duration.ofMillis(100)).forRequest(ApiVersion.V4, Set.of());
        LockOutcome outcome = target.lockContent(KEY);
        assertThat(kept.await(10, TimeUnit.SECONDS)).isTrue();
        LockRegistry.KeptLock keeping = target.keepLocked(((LockOutcome.Locked) outcome).lockId()).orElseThrow();
        assertThat(locks.held()).isEqualTo(1);

        breakIt.countDown();
        keeping.ended().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(locks.held()).isZero();
    }

    @Test
    void aRemoteThatCannotLockOrNothingListeningIsNotALock() throws Exception {
        json("{\"locked\":false}");
        assertThat(target(ApiVersion.V4).lockContent(KEY)).isInstanceOf(LockOutcome.NotLocked.class);
        P2pHttpUrl gone = P2pHttpUrl.parse("annex+http://127.0.0.1:1/").orElseThrow();
        P2pHttpRemote nowhere = new P2pHttpRemote(REMOTE, "gone", gone, RemoteCredentials.ofUrl(gone), SELF, client);
        assertThatThrownBy(() -> new HttpRemoteTarget(nowhere, locationLog, locks, ApiVersion.V4, Set.of()).checkPresent(KEY))
                .isInstanceOf(ProxyUnavailable.class).hasMessageStartingWith("cannot reach remote gone at annex+http://127.0.0.1:1/");
    }
}
