package io.annexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Command;
import io.annexgate.testing.Keys;
import io.annexgate.testing.ProxiedRoundTrip;
import io.annexgate.testing.RawApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A served repository proxying for r7 at an {@code annex+https} url, served by a second Annexgate
 * with a certificate of its own making: trusted only once {@code annexgate.proxy.ca-file} names it.
 */
class ProxiedHttpsRemoteTest {

    @TempDir
    Path tmp;

    @Test
    void anHttpsRemoteIsReachedOnceItsAuthorityIsTrusted() {
        assumeTrue(Command.run(tmp, "openssl", "version").ok(), "openssl makes the test certificate");
        Command.ok(tmp, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", "key.pem", "-out", "cert.pem");
        AnnexRepo r7 = AnnexRepo.init(tmp, "r7");
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        served.add("seed.txt", "seed\n".getBytes(StandardCharsets.UTF_8));
        try (AnnexgateServer remote = AnnexgateServer.serve(r7.dir(), "--wideopen",
                "--certfile=" + tmp.resolve("cert.pem"), "--privatekeyfile=" + tmp.resolve("key.pem"))) {
            served.git("remote", "add", "r7", "annex+https://127.0.0.1:" + remote.port() + "/git-annex/");
            served.git("config", "remote.r7.annex-uuid", r7.uuid());
            served.git("config", "remote.r7.annex-proxy", "true");
            served.annex("updateproxy");
            String key = Keys.sha256e("absent");

            try (AnnexgateServer untrusting = AnnexgateServer.serve(served.dir(), "--wideopen")) {
                RawApi.Response refused = new RawApi(untrusting, r7.uuid()).checkpresent(key);
                assertThat(refused.status()).isEqualTo(502);
                assertThat(refused.text()).startsWith("remote r7 failed:").containsIgnoringCase("certification path");
            }

            try (AnnexgateServer trusting = AnnexgateServer.serve(served.dir(), "--wideopen",
                    "--annexgate.proxy.ca-file=" + tmp.resolve("cert.pem"))) {
                assertThat(new RawApi(trusting, r7.uuid()).checkpresent(key).text()).isEqualTo("{\"present\":false}");
                AnnexRepo client = ProxiedRoundTrip.clientOf(served, tmp, trusting);
                ProxiedRoundTrip.copyGetAndDrop(client, served, r7, "origin-r7", "over-https.bin",
                        ProxiedRoundTrip.bytes(400_000, 27));
            }
        }
    }
}
