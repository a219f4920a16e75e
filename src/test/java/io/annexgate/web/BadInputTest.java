package io.annexgate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Keys;
import io.annexgate.testing.RawApi;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed and hostile requests: each gets a clear 4xx (or stored:false), and none leaves a
 * partial object visible, writes outside the repository, or loses stored content.
 */
class BadInputTest {

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
        server = AnnexgateServer.serve(served.dir(), "--wideopen");
        api = new RawApi(server, served.uuid());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void nothingLostAndNothingPartialVisible() throws IOException {
        assertThat(api.get("v4", helloKey).text()).as("stored content survives").isEqualTo("hello\n");
        Path objects = served.dir().resolve(".git/annex/objects");
        try (Stream<Path> files = Files.walk(objects)) {
            List<Path> objectFiles = files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().matches(".*\\.(lck|rtm|rtl)$")).toList();
            for (Path p : objectFiles) {
                String key = p.getFileName().toString();
                assertThat(served.tryAnnex("fsck", "--key", keyOfFileName(key)).ok())
                        .as("every visible object verifies: %s", key).isTrue();
            }
        }
        try (Stream<Path> files = Files.walk(tmp)) {
            assertThat(files.filter(p -> p.getFileName().toString().contains("evil")).toList())
                    .as("nothing written outside the annex").allMatch(p -> p.startsWith(served.dir().resolve(".git/annex")));
        }
    }

    /** Undoes git-annex's key-to-file-name escaping. */
    private static String keyOfFileName(String file) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < file.length(); i++) {
            char c = file.charAt(i);
            if (c == '%') {
                key.append('/');
            } else if (c == '&' && i + 1 < file.length()) {
                char e = file.charAt(++i);
                key.append(e == 'a' ? '&' : e == 's' ? '%' : e == 'c' ? ':' : e);
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    private static void assert4xx(RawApi.Response r, String what) {
        assertThat(r.status()).as(what + ": " + r.text()).isBetween(400, 499);
    }

    @Test
    void malformedKeys() {
        for (String key : List.of("notakey", "SHA256E-s6", "--abc", "SHA256E-sX--abc", "x".repeat(2000),
                "SHA256E-s1--a\u0000b", "[!!not base64!!]")) {
            assert4xx(api.checkpresent(key), "checkpresent " + key.substring(0, Math.min(20, key.length())));
            assert4xx(api.put("v4", key, new byte[] {1}, 1), "put " + key.substring(0, Math.min(20, key.length())));
        }
        assert4xx(api.raw("GET", "/git-annex/" + served.uuid() + "/v4/key/not%00akey?clientuuid=" + RawApi.CLIENT, Map.of(), null), "GET NUL");
    }

    @Test
    void pathLikeKeysStayInsideTheAnnex() {
        byte[] content = "escape\n".getBytes(StandardCharsets.UTF_8);
        String sneaky = "WORM-s7--../../../../etc/evil";
        RawApi.Response r = api.put("v4", sneaky, content, content.length);
        assertThat(r.status()).isEqualTo(200);
        assertThat(api.get("v4", sneaky.replace("/", "%2F")).body()).isEqualTo(content);
        assertThat(tmp.resolve("etc")).doesNotExist();
        assertThat(served.dir().resolve(".git/etc")).doesNotExist();
        assertThat(api.post("v4", "remove", "key", sneaky, "clientuuid", RawApi.CLIENT).text()).contains("\"removed\":true");
    }

    @Test
    void missingAndMalformedParameters() {
        String u = served.uuid();
        assert4xx(api.raw("POST", "/git-annex/" + u + "/v4/checkpresent?clientuuid=" + RawApi.CLIENT, Map.of(), null), "no key");
        assert4xx(api.raw("POST", "/git-annex/" + u + "/v4/checkpresent?key=" + helloKey, Map.of(), null), "no clientuuid");
        assert4xx(api.post("v4", "checkpresent", "key", helloKey, "clientuuid", ""), "empty uuid");
        assert4xx(api.post("v4", "remove-before", "key", helloKey, "clientuuid", RawApi.CLIENT), "no timestamp");
        assert4xx(api.post("v4", "remove-before", "key", helloKey, "clientuuid", RawApi.CLIENT, "timestamp", "soon"), "bad timestamp");
        assert4xx(api.post("v4", "keeplocked", "clientuuid", RawApi.CLIENT), "no lockid");
        assert4xx(api.raw("POST", api.path("v4", "put", RawApi.query("key", helloKey, "clientuuid", RawApi.CLIENT)),
                Map.of(), new byte[] {1}), "put without data length");
        assert4xx(api.raw("POST", api.path("v4", "put", RawApi.query("key", helloKey, "clientuuid", RawApi.CLIENT)),
                Map.of("X-git-annex-data-length", "lots"), new byte[] {1}), "put with bad data length");
        assert4xx(api.raw("POST", api.path("v4", "put", RawApi.query("key", helloKey, "clientuuid", RawApi.CLIENT)),
                Map.of("X-git-annex-data-length", "-1"), new byte[] {1}), "put with negative data length");
        assert4xx(api.post("v4", "put", "key", helloKey, "clientuuid", RawApi.CLIENT, "data-present", "maybe"), "bad data-present");
    }

    @Test
    void badOffsets() {
        assert4xx(api.get("v4", helloKey, "offset", -1), "negative offset");
        assert4xx(api.get("v4", helloKey, "offset", "99999999999999999999999"), "huge offset");
        assert4xx(api.get("v4", helloKey, "offset", "ten"), "non-numeric offset");
        RawApi.Response past = api.get("v4", helloKey, "offset", Long.MAX_VALUE);
        assertThat(past.header("X-git-annex-data-length")).isEqualTo("0");
        byte[] content = "offset put\n".getBytes(StandardCharsets.UTF_8);
        String key = Keys.sha256e(content, ".txt");
        assert4xx(api.put("v4", key, content, content.length, "offset", -5), "negative put offset");
        assertThat(api.put("v4", key, content, content.length, "offset", Long.MAX_VALUE).text()).contains("\"stored\":false");
    }

    @Test
    void lyingDataLength() {
        byte[] content = "lying length\n".getBytes(StandardCharsets.UTF_8);
        String key = Keys.sha256e(content, ".txt");
        assertThat(api.put("v4", key, Arrays.copyOf(content, 4), content.length).text()).contains("\"stored\":false");
        assertThat(api.checkpresent(key).text()).contains("false");

        byte[] longer = Arrays.copyOf(content, content.length + 10);
        String other = Keys.sha256e("other\n".getBytes(StandardCharsets.UTF_8), ".txt");
        assertThat(api.put("v4", other, longer, 6).text()).contains("\"stored\":false");
        assertThat(api.checkpresent(other).text()).contains("false");
    }

    @Test
    void wrongContentIsRejectedAndItsPartialFileDropped() {
        byte[] claimed = "the real thing\n".getBytes(StandardCharsets.UTF_8);
        String key = Keys.sha256e(claimed, ".txt");
        byte[] impostor = "the fake thing\n".getBytes(StandardCharsets.UTF_8);
        assertThat(api.put("v4", key, impostor, impostor.length).text()).contains("\"stored\":false");
        assertThat(api.checkpresent(key).text()).contains("false");
        assertThat(served.dir().resolve(".git/annex/tmp").resolve(key)).doesNotExist();
        assertThat(api.put("v4", key, claimed, claimed.length).text()).contains("\"stored\":true");
    }

    @Test
    void unknownVersionsAndRepositories() {
        assertThat(api.raw("POST", "/git-annex/" + served.uuid() + "/v9/checkpresent?key=" + helloKey + "&clientuuid=" + RawApi.CLIENT,
                Map.of(), null).status()).isEqualTo(404);
        assertThat(api.raw("POST", "/git-annex/00000000-0000-0000-0000-000000000000/v4/checkpresent?key=" + helloKey
                + "&clientuuid=" + RawApi.CLIENT, Map.of(), null).status()).isEqualTo(404);
        assertThat(api.raw("POST", "/git-annex/" + served.uuid() + "/v4/frobnicate", Map.of(), null).status()).isEqualTo(404);
    }

    @Test
    void nonBasicAuthorizationIsABadRequestEvenWhenWideOpen() {
        RawApi.Response r = api.raw("POST", api.path("v4", "checkpresent", RawApi.query("key", helloKey, "clientuuid", RawApi.CLIENT)),
                Map.of("Authorization", "Bearer xyz"), null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).isEqualTo("Error parsing header Authorization failed: invalid basic auth header");
    }

    @Test
    void aClientThatDisconnectsMidPutLeavesOnlyAResumablePartialFile() throws Exception {
        byte[] content = new byte[200_000];
        new java.util.Random(7).nextBytes(content);
        String key = Keys.sha256e(content, ".bin");
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            String head = "POST " + api.path("v4", "put", RawApi.query("key", key, "clientuuid", RawApi.CLIENT)) + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "X-git-annex-data-length: " + content.length + "\r\nContent-Length: " + content.length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content, 0, 50_000);
            out.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(served.dir().resolve(".git/annex/tmp").resolve(key)));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(api.post("v4", "putoffset", "key", key, "clientuuid", RawApi.CLIENT).text())
                        .matches("\\{\"offset\":\\d+\\}").isNotEqualTo("{\"offset\":0}"));
        assertThat(api.checkpresent(key).text()).contains("false");
        long offset = Long.parseLong(api.post("v4", "putoffset", "key", key, "clientuuid", RawApi.CLIENT).text().replaceAll("\\D", ""));
        byte[] rest = Arrays.copyOfRange(content, (int) offset, content.length);
        assertThat(api.put("v4", key, rest, rest.length, "offset", offset).text()).contains("\"stored\":true");
        assertThat(api.get("v4", key).body()).isEqualTo(content);
    }

    @Test
    void aConcurrentSecondUploadOfOneKeyIsRefused() throws Exception {
        byte[] content = new byte[100_000];
        String key = Keys.sha256e(content, ".bin");
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            String head = "POST " + api.path("v4", "put", RawApi.query("key", key, "clientuuid", RawApi.CLIENT)) + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nX-git-annex-data-length: " + content.length + "\r\nContent-Length: " + content.length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content, 0, 10);
            out.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(served.dir().resolve(".git/annex/tmp").resolve(key)));
            RawApi.Response second = api.put("v4", key, content, content.length);
            assertThat(second.status()).isEqualTo(500);
            assertThat(second.text()).isEqualTo("transfer already in progress, or unable to take transfer lock");
        }
    }
}
