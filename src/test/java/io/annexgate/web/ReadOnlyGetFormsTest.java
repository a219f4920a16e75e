package io.annexgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.RawApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET checkpresent and GET gettimestamp answer as their POST forms, with the same permissions (issue 13). */
class ReadOnlyGetFormsTest {

    @TempDir
    static Path tmp;

    static RawApi.Response call(RawApi api, String method, String version, String endpoint, Map<String, String> headers,
            Object... pairs) {
        return api.raw(method, api.path(version, endpoint, RawApi.query(pairs)), headers,
                method.equals("POST") ? new byte[0] : null);
    }

    static void sameAnswer(RawApi api, String version, String endpoint, Map<String, String> headers, Object... pairs) {
        RawApi.Response post = call(api, "POST", version, endpoint, headers, pairs);
        RawApi.Response get = call(api, "GET", version, endpoint, headers, pairs);
        assertThat(get.status()).as("%s %s status", version, endpoint).isEqualTo(post.status());
        assertThat(get.header("Content-Type")).as("%s %s type", version, endpoint).isEqualTo(post.header("Content-Type"));
        if (endpoint.equals("gettimestamp") && post.status() == 200) {
            assertThat(get.text()).matches("\\{\"timestamp\":[0-9]+\\}");
            assertThat(post.text()).matches("\\{\"timestamp\":[0-9]+\\}");
        } else {
            assertThat(get.text()).as("%s %s body", version, endpoint).isEqualTo(post.text());
        }
    }

    @Test
    void everyVersionAnswersAlike() {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        String key = served.add("a.txt", "here\n".getBytes(StandardCharsets.UTF_8));
        String absent = "SHA256E-s4--" + "0".repeat(64) + ".txt";
        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--wideopen")) {
            RawApi api = new RawApi(server, served.uuid());
            for (String v : new String[] {"v0", "v1", "v2", "v3", "v4", "v5"}) {
                sameAnswer(api, v, "checkpresent", Map.of(), "key", key, "clientuuid", RawApi.CLIENT);
                sameAnswer(api, v, "checkpresent", Map.of(), "key", absent, "clientuuid", RawApi.CLIENT);
                sameAnswer(api, v, "checkpresent", Map.of(), "key", key);
                sameAnswer(api, v, "checkpresent", Map.of(), "key", "not a key", "clientuuid", RawApi.CLIENT);
                sameAnswer(api, v, "gettimestamp", Map.of(), "clientuuid", RawApi.CLIENT);
                sameAnswer(api, v, "gettimestamp", Map.of());
            }
            assertThat(call(api, "GET", "v4", "checkpresent", Map.of(), "key", key, "clientuuid", RawApi.CLIENT).text())
                    .isEqualTo("{\"present\":true}");
        }
    }

    @Test
    void permissionsAreThoseOfTheReads() {
        AnnexRepo served = AnnexRepo.init(tmp, "auth");
        String key = served.add("a.txt", "here\n".getBytes(StandardCharsets.UTF_8));
        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--authenv-http",
                "--GIT_ANNEX_P2PHTTP_PASSWORD_alice=wonderland",
                "--GIT_ANNEX_P2PHTTP_PASSWORD_bob=builder", "--GIT_ANNEX_P2PHTTP_PERMISSIONS_bob=readonly")) {
            RawApi api = new RawApi(server, served.uuid());
            for (Map<String, String> auth : new Map[] {Map.of(), basic("alice:wonderland"), basic("bob:builder"),
                    basic("bob:wrong")}) {
                sameAnswer(api, "v4", "checkpresent", auth, "key", key, "clientuuid", RawApi.CLIENT);
                sameAnswer(api, "v4", "gettimestamp", auth, "clientuuid", RawApi.CLIENT);
            }
            assertThat(call(api, "GET", "v4", "checkpresent", Map.of(), "key", key, "clientuuid", RawApi.CLIENT).status())
                    .isEqualTo(401);
            assertThat(call(api, "GET", "v4", "checkpresent", basic("bob:builder"), "key", key, "clientuuid", RawApi.CLIENT)
                    .text()).isEqualTo("{\"present\":true}");
        }
    }

    static Map<String, String> basic(String userPassword) {
        return Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8)));
    }
}
