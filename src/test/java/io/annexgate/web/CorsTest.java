package io.annexgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.RawApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CORS for pages on other origins (issue 13): off by default, preflights unauthenticated, requests not. */
class CorsTest {

    static final String PAGE = "https://app.example.org";

    @TempDir
    static Path tmp;

    static Map<String, String> preflight(String origin, String method) {
        return Map.of("Origin", origin, "Access-Control-Request-Method", method,
                "Access-Control-Request-Headers", "authorization,x-git-annex-data-length");
    }

    @Test
    void allowedOriginsOnlyAndRequestsStillAuthenticated() {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        String key = served.add("a.txt", "here\n".getBytes(StandardCharsets.UTF_8));
        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--unauth-readonly",
                "--GIT_ANNEX_P2PHTTP_PASSWORD_alice=wonderland", "--annexgate.cors.allowed-origins=" + PAGE)) {
            RawApi api = new RawApi(server, served.uuid());
            String put = api.path("v4", "put", RawApi.query("key", "SHA256E-s2--" + "0".repeat(64), "clientuuid", RawApi.CLIENT));
            RawApi.Response allowed = api.raw("OPTIONS", put, preflight(PAGE, "POST"), null);
            assertThat(allowed.status()).isEqualTo(200);
            assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(PAGE);
            assertThat(allowed.header("Access-Control-Allow-Methods")).contains("POST");
            assertThat(allowed.header("Access-Control-Allow-Headers").toLowerCase()).contains("authorization");

            RawApi.Response other = api.raw("OPTIONS", put, preflight("https://evil.example.com", "POST"), null);
            assertThat(other.status()).isEqualTo(403);
            assertThat(other.header("Access-Control-Allow-Origin")).isNull();

            RawApi.Response anonymousPut = api.raw("POST", put, Map.of("Origin", PAGE,
                    "Content-Type", "application/octet-stream", "X-git-annex-data-length", "2"), "hi".getBytes(StandardCharsets.UTF_8));
            RawApi.Response withoutOrigin = api.raw("POST", put, Map.of(
                    "Content-Type", "application/octet-stream", "X-git-annex-data-length", "2"), "hi".getBytes(StandardCharsets.UTF_8));
            assertThat(anonymousPut.status()).as("refused as without an Origin").isEqualTo(withoutOrigin.status()).isEqualTo(403);
            assertThat(served.hasContent("SHA256E-s2--" + "0".repeat(64))).isFalse();

            RawApi.Response get = api.raw("GET", "/git-annex/" + served.uuid() + "/key/" + key, Map.of("Origin", PAGE), null);
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.header("Access-Control-Allow-Origin")).isEqualTo(PAGE);
            assertThat(get.header("Access-Control-Expose-Headers")).contains("X-git-annex-data-length");
        }
    }

    @Test
    void offByDefault() {
        AnnexRepo served = AnnexRepo.init(tmp, "plain");
        String key = served.add("a.txt", "here\n".getBytes(StandardCharsets.UTF_8));
        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--wideopen")) {
            RawApi api = new RawApi(server, served.uuid());
            RawApi.Response get = api.raw("GET", "/git-annex/" + served.uuid() + "/key/" + key, Map.of("Origin", PAGE), null);
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.header("Access-Control-Allow-Origin")).isNull();
            RawApi.Response pre = api.raw("OPTIONS", "/git-annex/" + served.uuid() + "/key/" + key, preflight(PAGE, "GET"), null);
            assertThat(pre.header("Access-Control-Allow-Origin")).isNull();
        }
    }
}
