package io.annexgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Keys;
import io.annexgate.testing.RawApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clientuuid} and {@code bypass} take only what a uuid can be, on every endpoint: anything
 * else (a path, {@code ..}, NUL, too long, empty, wrapped or not) is a 400 naming the parameter,
 * while the uuids git-annex clients send, plain or {@code [base64]}-wrapped, are served.
 */
class ClientUuidTest {

    private static final List<String> BAD = List.of("", "a/b", "../../../etc/passwd", "..", ".", "a\\b", "a\u0000b",
            "a b", "a\nb", "a.b", "caf\u00e9", "x".repeat(AnnexUuid.MAX_CLIENT_LENGTH + 1), wrapped("../x"), wrapped("a/b"), wrapped("a\u0000b"));

    @TempDir
    static Path tmp;

    static AnnexRepo served;
    static AnnexgateServer server;
    static RawApi api;
    static String key;

    @BeforeAll
    static void start() {
        served = AnnexRepo.init(tmp, "served");
        key = served.add("hello.txt", "hello\n".getBytes(StandardCharsets.UTF_8));
        server = AnnexgateServer.serve(served.dir(), "--wideopen");
        api = new RawApi(server, served.uuid());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String wrapped(String text) {
        return "[" + Base64.getUrlEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "]";
    }

    /** An endpoint's request, given the query parameters to add to what it needs anyway. */
    private interface Call {
        RawApi.Response send(Object... extra);
    }

    private static Map<String, Call> endpoints() {
        byte[] content = "not to be stored\n".getBytes(StandardCharsets.UTF_8);
        String newKey = Keys.sha256e(content, ".txt");
        return Map.of(
                "checkpresent", extra -> api.post("v4", "checkpresent", concat(extra, "key", key)),
                "lockcontent", extra -> api.post("v4", "lockcontent", concat(extra, "key", key)),
                "remove-before", extra -> api.post("v4", "remove-before", concat(extra, "key", newKey, "timestamp", 1)),
                "gettimestamp", extra -> api.post("v4", "gettimestamp", extra),
                "putoffset", extra -> api.post("v4", "putoffset", concat(extra, "key", newKey)),
                "keeplocked", extra -> api.raw("POST", api.path("v4", "keeplocked",
                        RawApi.query(concat(extra, "lockid", "00000000-0000-0000-0000-000000000000"))),
                        Map.of("Content-Type", "application/json"), "{\"unlock\":true}\n".getBytes(StandardCharsets.UTF_8)),
                "put", extra -> api.raw("POST", api.path("v4", "put", RawApi.query(concat(extra, "key", newKey))),
                        Map.of("X-git-annex-data-length", Integer.toString(content.length)), content),
                "get", extra -> api.raw("GET", api.path("v4", "key/" + key, RawApi.query(extra)), Map.of(), null),
                "unversioned get", extra -> api.raw("GET", "/git-annex/" + served.uuid() + "/key/" + key
                        + (extra.length == 0 ? "" : "?" + RawApi.query(extra)), Map.of(), null));
    }

    @Test
    void aClientUuidThatCannotBeAUuidIsRefusedByName() {
        endpoints().forEach((name, call) -> {
            for (String bad : BAD) {
                assertRefused(call.send("clientuuid", bad), "clientuuid", name, bad);
            }
        });
        assertThat(api.checkpresent(Keys.sha256e("not to be stored\n".getBytes(StandardCharsets.UTF_8), ".txt")).text())
                .as("a put refused for its clientuuid stores nothing").contains("false");
    }

    @Test
    void aBypassThatCannotBeAUuidIsRefusedByName() {
        endpoints().forEach((name, call) -> {
            for (String bad : BAD) {
                assertRefused(call.send("clientuuid", RawApi.CLIENT, "bypass", bad), "bypass", name, bad);
                assertRefused(call.send("clientuuid", RawApi.CLIENT, "bypass", RawApi.CLIENT, "bypass", bad), "bypass", name, bad);
            }
        });
    }

    private static void assertRefused(RawApi.Response r, String parameter, String endpoint, String value) {
        assertThat(r.status()).as("%s with %s=%s: %s", endpoint, parameter, printable(value), r.text()).isEqualTo(400);
        assertThat(r.text()).as("%s with %s=%s", endpoint, parameter, printable(value))
                .startsWith("Error parsing query parameter " + parameter + " failed: ");
    }

    @Test
    void theUuidsClientsSendAreServed() {
        String clusterGateway = "ac5608be-71fd-8cb8-ad8c-302a6d6786de";
        for (String good : List.of(RawApi.CLIENT, RawApi.CLIENT.toUpperCase(), wrapped(RawApi.CLIENT), "my-laptop-2",
                "7".repeat(AnnexUuid.MAX_CLIENT_LENGTH))) {
            endpoints().forEach((name, call) -> {
                if (name.equals("put")) {
                    return;
                }
                RawApi.Response r = call.send("clientuuid", good, "bypass", clusterGateway, "bypass", wrapped(RawApi.CLIENT));
                assertThat(r.status()).as("%s with clientuuid=%s: %s", name, good, r.text()).isEqualTo(200);
            });
        }
    }

    private static String printable(String value) {
        return value.replace("\u0000", "\\0").replace("\n", "\\n");
    }

    private static Object[] concat(Object[] extra, Object... fixed) {
        Object[] all = new Object[fixed.length + extra.length];
        System.arraycopy(fixed, 0, all, 0, fixed.length);
        System.arraycopy(extra, 0, all, fixed.length, extra.length);
        return all;
    }
}
