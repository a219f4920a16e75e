package io.annexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.CredentialHelperScript;
import io.annexgate.testing.Keys;
import io.annexgate.testing.ProxiedRoundTrip;
import io.annexgate.testing.RawApi;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A served repository proxying for a git remote {@code r3} at an {@code annex+http} url: a second
 * Annexgate serves r3 (and r5) and wants credentials, which r3's url carries. The real client
 * through {@code origin-r3}, and raw HTTP against r3's uuid through the first server.
 */
class ProxiedHttpRemoteTest {

    @TempDir
    static Path tmp;

    static AnnexRepo r3;
    static AnnexRepo r5;
    static AnnexRepo r6;
    static Path helperLog;
    static AnnexgateServer remoteServer;
    static AnnexRepo served;
    static AnnexgateServer server;
    static AnnexRepo client;
    static RawApi api;

    @BeforeAll
    static void start() throws Exception {
        Path remoteRepos = Files.createDirectories(tmp.resolve("remote-repos"));
        r3 = AnnexRepo.init(remoteRepos, "r3");
        r5 = AnnexRepo.init(remoteRepos, "r5");
        r6 = AnnexRepo.init(remoteRepos, "r6");
        remoteServer = AnnexgateServer.serve(remoteRepos, "--directory=" + remoteRepos, "--authenv-http",
                "--GIT_ANNEX_P2PHTTP_PASSWORD_alice=wonder land");
        String hostPort = "127.0.0.1:" + remoteServer.port();

        served = AnnexRepo.init(tmp, "served");
        served.add("seed.txt", "seed\n".getBytes(StandardCharsets.UTF_8));
        served.git("remote", "add", "r3", "annex+http://alice:wonder%20land@" + hostPort + "/git-annex/");
        served.git("config", "remote.r3.annex-uuid", r3.uuid());
        served.git("config", "remote.r3.annex-proxy", "true");
        // the same server, without credentials
        served.git("remote", "add", "r5", "../remote-repos/r5");
        served.git("config", "remote.r5.annexurl", "annex+http://" + hostPort + "/git-annex/");
        served.git("config", "remote.r5.annex-uuid", r5.uuid());
        served.git("config", "remote.r5.annex-proxy", "true");
        // the same server: an http git url on the same host, so git's helpers are asked for that url,
        // and the served repository's helper knows a password for http://127.0.0.1:PORT only
        served.git("remote", "add", "r6", "http://" + hostPort + "/r6.git");
        served.git("config", "remote.r6.annexurl", "annex+http://" + hostPort + "/git-annex/");
        served.git("config", "remote.r6.annex-uuid", r6.uuid());
        served.git("config", "remote.r6.annex-proxy", "true");
        helperLog = tmp.resolve("credential-helper.log");
        CredentialHelperScript.configure(served.dir(),
                CredentialHelperScript.write(tmp, helperLog, "*protocol=http*host=" + hostPort + "*"));
        // nothing listening there
        served.git("config", "remote.down.url", "annex+http://127.0.0.1:1/git-annex/");
        served.git("config", "remote.down.annex-uuid", "0badc0de-0000-4000-8000-000000000504");
        served.git("config", "remote.down.annex-proxy", "true");
        served.annex("updateproxy");
        server = AnnexgateServer.serve(served.dir(), "--wideopen");
        api = new RawApi(server, r3.uuid());
        client = ProxiedRoundTrip.clientOf(served, tmp, server);
    }

    @AfterAll
    static void stop() {
        server.close();
        remoteServer.close();
    }

    private static String servedWhereis(String key) {
        return ProxiedRoundTrip.whereis(served, key);
    }

    private static byte[] bytes(int n, long seed) {
        return ProxiedRoundTrip.bytes(n, seed);
    }

    @Test
    void theClientCopiesGetsChecksAndDropsThroughTheHttpRemote() {
        assertThat(served.git("show", "git-annex:proxy.log")).contains(r3.uuid() + ":r3");
        assertThat(client.annex("info", "--fast")).contains(r3.uuid() + " -- origin-r3");
        ProxiedRoundTrip.copyGetAndDrop(client, served, r3, "origin-r3", "over-http.bin", bytes(1_500_000, 21));
    }

    @Test
    void rawPutGetWithOffsetCheckpresentTimestampAndRemove() {
        byte[] content = bytes(200_000, 22);
        String key = Keys.sha256e(content, ".bin");
        assertThat(api.checkpresent(key).text()).contains("false");
        RawApi.Response put = api.put("v4", key, content, content.length);
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.text()).isEqualTo("{\"plusuuids\":[],\"stored\":true}");
        assertThat(r3.hasContent(key)).isTrue();
        assertThat(servedWhereis(key)).contains(r3.uuid());
        assertThat(api.checkpresent(key).text()).contains("true");
        // the remote has it already: it answers without reading the body, which must still come out right
        assertThat(api.put("v4", key, content, content.length).text()).isEqualTo("{\"plusuuids\":[],\"stored\":true}");
        assertThat(api.post("v4", "putoffset", "key", key, "clientuuid", RawApi.CLIENT).text())
                .isEqualTo("{\"alreadyhave\":true,\"plusuuids\":[]}");

        RawApi.Response get = api.get("v4", key);
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.header("X-git-annex-data-length")).isEqualTo(Integer.toString(content.length));
        assertThat(get.body()).isEqualTo(content);
        RawApi.Response tail = api.get("v1", key, "offset", 150_000);
        assertThat(tail.header("X-git-annex-data-length")).isEqualTo("50000");
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(content, 150_000, content.length));

        assertThat(api.post("v4", "gettimestamp", "clientuuid", RawApi.CLIENT).text()).matches("\\{\"timestamp\":[0-9]+}");
        assertThat(api.post("v1", "remove", "key", key, "clientuuid", RawApi.CLIENT).text())
                .isEqualTo("{\"removed\":true}");
        assertThat(r3.hasContent(key)).isFalse();
        assertThat(servedWhereis(key)).doesNotContain(r3.uuid());
    }

    @Test
    void aResumedPutStartsAtTheRemotesOffset() {
        byte[] content = bytes(50_000, 23);
        String key = Keys.sha256e(content, ".bin");
        RawApi.Response shortPut = api.put("v4", key, Arrays.copyOf(content, 20_000), content.length);
        assertThat(shortPut.text()).contains("\"stored\":false");
        assertThat(api.post("v4", "putoffset", "key", key, "clientuuid", RawApi.CLIENT).text())
                .isEqualTo("{\"offset\":20000}");
        RawApi.Response rest = api.put("v4", key, Arrays.copyOfRange(content, 20_000, content.length), 30_000,
                "offset", 20_000);
        assertThat(rest.text()).contains("\"stored\":true");
        assertThat(r3.hasContent(key)).isTrue();
    }

    @Test
    void aKeyTheRemoteLacksIs404AsTheRemoteAnswers() {
        String key = Keys.sha256e(bytes(1_000, 24), ".bin");
        assertThat(api.get("v4", key).status()).isEqualTo(404);
        assertThat(api.post("v4", "lockcontent", "key", key, "clientuuid", RawApi.CLIENT).text())
                .isEqualTo("{\"locked\":false}");
    }

    @Test
    void aLockTakenThroughTheProxyHoldsR3sContentUntilUnlocked() throws Exception {
        byte[] content = bytes(10_000, 25);
        String key = Keys.sha256e(content, ".bin");
        assertThat(api.put("v4", key, content, content.length).text()).contains("\"stored\":true");
        RawApi.Response locked = api.post("v4", "lockcontent", "key", key, "clientuuid", RawApi.CLIENT);
        assertThat(locked.text()).contains("\"locked\":true");
        String lockId = locked.text().replaceAll(".*\"lockid\":\"([^\"]+)\".*", "$1").strip();
        PipedOutputStream unlock = new PipedOutputStream();
        InputStream body = new PipedInputStream(unlock);
        var kept = api.keepLocked(lockId, () -> body);
        unlock.write("{\"unlock\":false}\n".getBytes(StandardCharsets.UTF_8));
        unlock.flush();

        assertThat(api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text())
                .contains("\"removed\":false");
        String onR3 = "remote=\"" + r3.uuid() + "\"";
        assertThat(AnnexgateServer.sum(server.prometheus(), "annexgate_proxy_locks_held{", onR3)).isEqualTo(1.0);
        // git-annex in r3 itself cannot drop it either: the remote server holds the content lock
        assertThat(r3.tryAnnex("drop", "--force", "--key", key).ok()).isFalse();
        assertThat(r3.hasContent(key)).isTrue();

        unlock.write("{\"unlock\":true}\n".getBytes(StandardCharsets.UTF_8));
        unlock.close();
        assertThat(kept.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        // the unlock reached r3 at once (an abandoned lock would hold there for ten minutes)
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
                api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text().contains("\"removed\":true"));
        assertThat(r3.hasContent(key)).isFalse();
        assertThat(AnnexgateServer.sum(server.prometheus(), "annexgate_proxy_locks_held{", onR3)).isEqualTo(0.0);
    }

    @Test
    void withoutCredentialsInItsUrlARemoteIsAskedWithWhatGitsCredentialHelperGives() throws Exception {
        ProxiedRoundTrip.copyGetAndDrop(client, served, r6, "origin-r6", "helped.bin", bytes(300_000, 26));
        java.util.List<String> asked = Files.readAllLines(helperLog);
        String hostPort = "127.0.0.1:" + remoteServer.port();
        // asked once, for the git url (same host as the annex url), and told it worked once
        assertThat(asked.stream().filter(line -> line.contains("host=" + hostPort) && line.contains("protocol=http ")))
                .containsExactly("get protocol=http host=" + hostPort + " ",
                        "store protocol=http host=" + hostPort + " username=alice ");
    }

    @Test
    void aRemoteThatRefusesOrCannotBeReachedIs502() {
        RawApi noCredentials = new RawApi(server, r5.uuid());
        RawApi.Response refused = noCredentials.checkpresent(Keys.sha256e("x"));
        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.text()).isEqualTo("remote r5 answered 401");
        RawApi down = new RawApi(server, "0badc0de-0000-4000-8000-000000000504");
        RawApi.Response unreachable = down.checkpresent(Keys.sha256e("x"));
        assertThat(unreachable.status()).isEqualTo(502);
        assertThat(unreachable.text()).startsWith("cannot reach remote down at annex+http://127.0.0.1:1/git-annex/");
    }

    @Test
    void gitAnnexTestremotePassesAgainstTheHttpRemote() {
        ProxiedRoundTrip.testremote(client, "origin-r3");
    }

}
