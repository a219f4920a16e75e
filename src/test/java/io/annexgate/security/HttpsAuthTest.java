package io.annexgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Command;
import io.annexgate.testing.RawApi;
import io.annexgate.testing.TrustAll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --authenv over HTTPS from PEM files: users get in, anonymous and plain-HTTP credentials do not. */
class HttpsAuthTest {

    @TempDir
    Path tmp;

    @Test
    void usersAuthenticateOverHttpsAndTheirPermissionsHold() throws Exception {
        assumeTrue(Command.run(tmp, "openssl", "version").ok(), "openssl makes the test certificate");
        Command.ok(tmp, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", "key.pem", "-out", "cert.pem");
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        String key = served.add("a.txt", "secret\n".getBytes(StandardCharsets.UTF_8));
        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--authenv", "--certfile=" + tmp.resolve("cert.pem"),
                "--privatekeyfile=" + tmp.resolve("key.pem"),
                "--GIT_ANNEX_P2PHTTP_PASSWORD_alice=wonderland",
                "--GIT_ANNEX_P2PHTTP_PASSWORD_bob=builder", "--GIT_ANNEX_P2PHTTP_PERMISSIONS_bob=readonly")) {
            String checkpresent = "https://127.0.0.1:" + server.port() + "/git-annex/" + served.uuid()
                    + "/v4/checkpresent?key=" + key + "&clientuuid=" + RawApi.CLIENT;
            String remove = checkpresent.replace("checkpresent", "remove");

            HttpResponse<String> anonymous = post(checkpresent, null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"git-annex\", charset=\"UTF-8\"");

            assertThat(post(checkpresent, "alice:wonderland").body()).isEqualTo("{\"present\":true}");
            assertThat(post(checkpresent, "alice:wrong").statusCode()).isEqualTo(401);
            assertThat(post(checkpresent, "bob:builder").statusCode()).isEqualTo(200);
            assertThat(post(remove, "bob:builder").statusCode()).isEqualTo(403);
            assertThat(post(remove, "alice:wonderland").body()).contains("\"removed\":true");

            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.managementPort() + "/actuator/health/readiness")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as("probes stay plain HTTP and need no credentials").isEqualTo(200);
        }
    }

    private static HttpResponse<String> post(String url, String credentials) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody());
        if (credentials != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return insecureClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient insecureClient() throws Exception {
        return HttpClient.newBuilder().sslContext(TrustAll.context(certificate -> { })).build();
    }
}
