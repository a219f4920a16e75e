package io.annexgate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Keys;
import io.annexgate.testing.RawApi;
import io.annexgate.testing.RawHttp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint and version, on the wire. */
class ProtocolTest {

    @TempDir
    static Path tmp;

    static AnnexRepo served;
    static AnnexgateServer server;
    static RawApi api;
    static String helloKey;

    @BeforeAll
    static void start() {
        served = AnnexRepo.init(tmp, "served");
        helloKey = served.add("hello.txt", "hello\n".getBytes(StandardCharsets.UTF_8));
        server = AnnexgateServer.serve(served.dir(), "--wideopen", "--lockedfiles=1000");
        api = new RawApi(server, served.uuid());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String lockId(RawApi.Response r) {
        Matcher m = Pattern.compile("\"lockid\":\"([^\"]+)\"").matcher(r.text());
        assertThat(m.find()).as("lockid in %s", r.text()).isTrue();
        return m.group(1);
    }

    @Test
    void getSendsContentFromOffsetWithDataLength() {
        RawApi.Response r = api.get("v4", helloKey, "offset", 2);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("X-git-annex-data-length")).isEqualTo("4");
        assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(r.text()).isEqualTo("llo\n");
        for (String v : new String[] {"v0", "v1", "v2", "v3"}) {
            assertThat(api.get(v, helloKey).text()).isEqualTo("hello\n");
        }
        RawApi.Response past = api.get("v4", helloKey, "offset", 99);
        assertThat(past.status()).isEqualTo(200);
        assertThat(past.header("X-git-annex-data-length")).isEqualTo("0");
        assertThat(past.body()).isEmpty();
    }

    @Test
    void unversionedGetAndHead() {
        RawApi.Response r = api.raw("GET", "/git-annex/" + served.uuid() + "/key/" + helloKey, java.util.Map.of(), null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("hello\n");
        RawApi.Response head = api.raw("HEAD", "/git-annex/" + served.uuid() + "/key/" + helloKey, java.util.Map.of(), null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("6");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aMissingKeyIsNotFound() {
        String missing = Keys.sha256e("not here\n");
        assertThat(api.get("v4", missing).status()).isEqualTo(404);
        assertThat(api.checkpresent(missing).text()).isEqualTo("{\"present\":false}");
        assertThat(api.checkpresent(helloKey).text()).isEqualTo("{\"present\":true}");
    }

    @Test
    void putShapesFollowTheVersion() {
        for (int v = 0; v <= 4; v++) {
            byte[] content = ("version " + v + "\n").getBytes(StandardCharsets.UTF_8);
            String key = Keys.sha256e(content, ".txt");
            RawApi.Response r = api.put("v" + v, key, content, content.length);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("application/json;charset=utf-8");
            assertThat(r.text()).isEqualTo(v >= 2 ? "{\"plusuuids\":[],\"stored\":true}" : "{\"stored\":true}");
            assertThat(api.checkpresent(key).text()).contains("true");
            assertThat(api.put("v" + v, key, new byte[0], 0).text()).contains("\"stored\":true");
        }
    }

    @Test
    void anInterruptedPutResumesAtItsOffset() {
        byte[] content = "world of resumes\n".getBytes(StandardCharsets.UTF_8);
        String key = Keys.sha256e(content, ".txt");
        assertThat(api.post("v4", "putoffset", "key", key, "clientuuid", RawApi.CLIENT).text()).isEqualTo("{\"offset\":0}");

        RawApi.Response shortPut = api.put("v4", key, java.util.Arrays.copyOf(content, 5), content.length);
        assertThat(shortPut.text()).isEqualTo("{\"plusuuids\":[],\"stored\":false}");
        assertThat(api.post("v4", "putoffset", "key", key, "clientuuid", RawApi.CLIENT).text()).isEqualTo("{\"offset\":5}");
        assertThat(api.post("v1", "putoffset", "key", key, "clientuuid", RawApi.CLIENT).text()).isEqualTo("{\"offset\":5}");

        // the client resends from 3: the server skips what it has
        byte[] rest = java.util.Arrays.copyOfRange(content, 3, content.length);
        assertThat(api.put("v4", key, rest, rest.length, "offset", 3).text()).contains("\"stored\":true");
        assertThat(api.get("v4", key).body()).isEqualTo(content);
        assertThat(api.post("v2", "putoffset", "key", key, "clientuuid", RawApi.CLIENT).text())
                .isEqualTo("{\"alreadyhave\":true,\"plusuuids\":[]}");
        assertThat(api.post("v1", "putoffset", "key", key, "clientuuid", RawApi.CLIENT).text()).isEqualTo("{\"alreadyhave\":true}");
    }

    /**
     * A put of a key the server has is answered without storing anything, but the body the client
     * sends in full is read to its end first, as git-annex's server does: a client writing all of it
     * before reading the answer (as git-annex's own does) must neither hit a broken pipe nor lose the
     * connection for its next request.
     */
    @Test
    void aPutOfAKeyTheServerHasReadsTheBodyAndKeepsTheConnection() throws IOException {
        byte[] content = new byte[12_000_000];
        new java.util.Random(31).nextBytes(content);
        String key = served.add("present.bin", content);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            java.io.OutputStream out = socket.getOutputStream();
            java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            out.write(("POST /git-annex/" + served.uuid() + "/v4/put?clientuuid=" + RawApi.CLIENT + "&key=" + key
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "X-git-annex-data-length: " + content.length + "\r\nContent-Length: " + content.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            assertThat(RawHttp.responseOn(in)).startsWith("HTTP/1.1 200").endsWith("{\"plusuuids\":[],\"stored\":true}");

            out.write(("GET /git-annex/" + served.uuid() + "/v4/key/" + helloKey + "?clientuuid=" + RawApi.CLIENT
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(RawHttp.responseOn(in)).startsWith("HTTP/1.1 200").endsWith("hello\n");
        }
        assertThat(api.get("v4", key).body()).isEqualTo(content);
    }

    @Test
    void aPutPastTheServersOffsetIsNotStored() {
        byte[] content = "gap\n".getBytes(StandardCharsets.UTF_8);
        String key = Keys.sha256e(content, ".txt");
        assertThat(api.put("v4", key, java.util.Arrays.copyOfRange(content, 2, 4), 2, "offset", 2).text()).contains("\"stored\":false");
        assertThat(api.checkpresent(key).text()).contains("false");
    }

    @Test
    void dataPresentOnlyStoresWhatIsAlreadyThere() {
        String absent = Keys.sha256e("elsewhere\n");
        assertThat(api.put("v4", absent, new byte[0], 0, "data-present", "true").text()).contains("\"stored\":false");
        assertThat(api.put("v4", helloKey, new byte[0], 0, "data-present", "true").text()).contains("\"stored\":true");
    }

    @Test
    void removeAndRemoveBeforeOnTheMonotonicClock() {
        for (int v = 0; v <= 4; v++) {
            byte[] content = ("remove " + v + "\n").getBytes(StandardCharsets.UTF_8);
            String key = Keys.sha256e(content, ".txt");
            api.put("v4", key, content, content.length);
            RawApi.Response r = api.post("v" + v, "remove", "key", key, "clientuuid", RawApi.CLIENT);
            assertThat(r.text()).isEqualTo(v >= 2 ? "{\"plusuuids\":[],\"removed\":true}" : "{\"removed\":true}");
            assertThat(api.checkpresent(key).text()).contains("false");
            assertThat(api.post("v" + v, "remove", "key", key, "clientuuid", RawApi.CLIENT).text()).contains("\"removed\":true");
        }
        byte[] content = "remove before\n".getBytes(StandardCharsets.UTF_8);
        String key = Keys.sha256e(content, ".txt");
        api.put("v4", key, content, content.length);
        String ts = api.post("v3", "gettimestamp", "clientuuid", RawApi.CLIENT).text().replaceAll("\\D", "");
        long now = Long.parseLong(ts);
        assertThat(api.post("v4", "remove-before", "key", key, "clientuuid", RawApi.CLIENT, "timestamp", now).text())
                .isEqualTo("{\"plusuuids\":[],\"removed\":false}");
        assertThat(api.post("v3", "remove-before", "key", key, "clientuuid", RawApi.CLIENT, "timestamp", 5).text()).contains("false");
        assertThat(api.checkpresent(key).text()).contains("true");
        assertThat(api.post("v3", "remove-before", "key", key, "clientuuid", RawApi.CLIENT, "timestamp", now + 100).text())
                .isEqualTo("{\"plusuuids\":[],\"removed\":true}");
    }

    @Test
    void endpointsThatAVersionLacksAreNotFound() {
        assertThat(api.post("v2", "gettimestamp", "clientuuid", RawApi.CLIENT).status()).isEqualTo(404);
        assertThat(api.post("v2", "remove-before", "key", helloKey, "clientuuid", RawApi.CLIENT, "timestamp", 1).status()).isEqualTo(404);
        assertThat(api.post("v0", "putoffset", "key", helloKey, "clientuuid", RawApi.CLIENT).status()).isEqualTo(404);
        assertThat(api.post("v5", "checkpresent", "key", helloKey, "clientuuid", RawApi.CLIENT).status()).isEqualTo(404);
    }

    @Test
    void base64WrappedValuesWorkLikePlainOnes() {
        String b64 = "[" + java.util.Base64.getUrlEncoder().encodeToString(helloKey.getBytes(StandardCharsets.UTF_8)) + "]";
        String client = "[" + java.util.Base64.getUrlEncoder().encodeToString(RawApi.CLIENT.getBytes(StandardCharsets.UTF_8)) + "]";
        assertThat(api.post("v4", "checkpresent", "key", b64, "clientuuid", client).text()).isEqualTo("{\"present\":true}");
        RawApi.Response unversioned = api.socketGet("/git-annex/" + served.uuid() + "/key/" + b64);
        assertThat(unversioned.status()).isEqualTo(200);
        assertThat(unversioned.text()).isEqualTo("hello\n");
        RawApi.Response versioned = api.socketGet("/git-annex/" + served.uuid() + "/v2/key/" + b64 + "?clientuuid=" + client);
        assertThat(versioned.text()).isEqualTo("hello\n");
    }

    @Test
    void aLockedKeyIsNotRemovedAndAnswersPromptly() throws Exception {
        byte[] content = "locked\n".getBytes(StandardCharsets.UTF_8);
        String key = Keys.sha256e(content, ".txt");
        api.put("v4", key, content, content.length);
        String lockId = lockId(api.post("v4", "lockcontent", "key", key, "clientuuid", RawApi.CLIENT));

        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream body = new PipedInputStream(feed);
        CompletableFuture<HttpResponse<String>> kept = api.keepLocked(lockId, () -> body);
        feed.write("{\"unlock\":false}\n".getBytes(StandardCharsets.UTF_8));
        feed.flush();

        assertThat(api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text()).contains("\"removed\":false");
        assertThat(api.checkpresent(key).text()).contains("true");
        assertThat(kept).isNotDone();

        feed.write("{\"unlock\":true}\n".getBytes(StandardCharsets.UTF_8));
        feed.close();
        assertThat(kept.get().body()).isEqualTo("{\"locked\":false}");
        assertThat(api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text()).contains("\"removed\":true");
    }

    @Test
    void aDroppedKeeplockedKeepsTheLockForItsRetention() throws Exception {
        byte[] content = "dropped connection\n".getBytes(StandardCharsets.UTF_8);
        String key = Keys.sha256e(content, ".txt");
        api.put("v4", key, content, content.length);
        String lockId = lockId(api.post("v4", "lockcontent", "key", key, "clientuuid", RawApi.CLIENT));
        HttpResponse<String> ended = api.keepLocked(lockId,
                () -> new ByteArrayInputStream("{\"unlock\":false}\n".getBytes(StandardCharsets.UTF_8))).get();
        assertThat(ended.body()).isEqualTo("{\"locked\":false}");

        assertThat(api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text()).contains("\"removed\":false");
        Path object = served.dir().resolve(served.annex("contentlocation", key).strip());
        String rtm = Files.readString(object.resolveSibling(object.getFileName() + ".rtm"));
        assertThat(rtm).matches("\\d+(\\.\\d+)?s");
    }

    @Test
    void keeplockedOfAnUnknownLockIdAnswersAtOnce() {
        RawApi.Response r = api.raw("POST", api.path("v4", "keeplocked", RawApi.query("lockid", "00000000-0000-0000-0000-000000000000")),
                java.util.Map.of("Content-Type", "application/json"), "{\"unlock\":true}\n".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{\"locked\":false}");
        assertThat(api.post("v4", "lockcontent", "key", Keys.sha256e("nope\n"), "clientuuid", RawApi.CLIENT).text())
                .isEqualTo("{\"locked\":false}");
    }

    @Test
    void aThousandHeldLocksDoNotStopOtherRequests() throws Exception {
        int n = 1000;
        PipedOutputStream[] feeds = new PipedOutputStream[n];
        @SuppressWarnings("unchecked")
        CompletableFuture<HttpResponse<String>>[] polls = new CompletableFuture[n];
        for (int i = 0; i < n; i++) {
            String lockId = lockId(api.post("v4", "lockcontent", "key", helloKey, "clientuuid", RawApi.CLIENT));
            feeds[i] = new PipedOutputStream();
            PipedInputStream in = new PipedInputStream(feeds[i]);
            polls[i] = api.keepLocked(lockId, () -> in);
            feeds[i].write("{\"unlock\":false}\n".getBytes(StandardCharsets.UTF_8));
            feeds[i].flush();
        }
        assertThat(api.checkpresent(helloKey).text()).isEqualTo("{\"present\":true}");
        assertThat(api.get("v4", helloKey).text()).isEqualTo("hello\n");
        assertThat(api.post("v4", "remove", "key", helloKey, "clientuuid", RawApi.CLIENT).text()).contains("\"removed\":false");
        for (int i = 0; i < n; i++) {
            try {
                feeds[i].write("{\"unlock\":true}\n".getBytes(StandardCharsets.UTF_8));
                feeds[i].close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        CompletableFuture.allOf(polls).get();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.post("v4", "lockcontent", "key", helloKey, "clientuuid", RawApi.CLIENT).text()).contains("\"locked\":true"));
    }
}
