package io.annexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.KeepLockedPoll;
import io.annexgate.testing.Keys;
import io.annexgate.testing.ProcLocks;
import io.annexgate.testing.ProxiedRoundTrip;
import io.annexgate.testing.RawApi;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A served repository proxying for its local git remote {@code r2}: raw HTTP against r2's uuid,
 * and the real client, which learns the proxied remote as {@code origin-r2}.
 */
class ProxiedRemoteTest {

    @TempDir
    static Path tmp;

    static AnnexRepo served;
    static AnnexRepo r2;
    static AnnexgateServer server;
    static AnnexRepo client;
    static RawApi api;

    @BeforeAll
    static void start() {
        r2 = AnnexRepo.init(tmp, "r2");
        served = AnnexRepo.init(tmp, "served");
        served.add("seed.txt", "seed\n".getBytes(StandardCharsets.UTF_8));
        served.git("remote", "add", "r2", "../r2");
        served.git("config", "remote.r2.annex-proxy", "true");
        served.tryAnnex("sync", "--no-content", "-q");
        served.git("config", "remote.missing.url", "../missing");
        served.git("config", "remote.missing.annex-uuid", "0badc0de-0000-4000-8000-000000000502");
        served.git("config", "remote.missing.annex-proxy", "true");
        served.git("config", "remote.retired.url", "../retired");
        served.git("config", "remote.retired.annex-uuid", "0badc0de-0000-4000-8000-000000000503");
        served.git("config", "remote.retired.annex-proxy", "true");
        served.annex("updateproxy");
        served.git("config", "remote.retired.annex-proxy", "false");
        server = AnnexgateServer.serve(served.dir(), "--wideopen");
        api = new RawApi(server, r2.uuid());
        client = ProxiedRoundTrip.clientOf(served, tmp, server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String servedWhereis(String key) {
        return ProxiedRoundTrip.whereis(served, key);
    }

    private static byte[] bytes(int n, long seed) {
        return ProxiedRoundTrip.bytes(n, seed);
    }

    @Test
    void proxyLogListsR2AndTheClientSeesOriginR2() {
        assertThat(served.git("show", "git-annex:proxy.log")).contains(r2.uuid() + ":r2");
        assertThat(client.annex("info", "--fast")).contains("[origin-r2]");
    }

    @Test
    void clientCopiesGetsChecksAndDropsThroughTheProxy() {
        ProxiedRoundTrip.copyGetAndDrop(client, served, r2, "origin-r2", "big.bin", bytes(300_000, 1));
    }

    @Test
    void rawPutGetCheckpresentRemoveOnTheProxiedUuid() {
        byte[] content = bytes(200_000, 2);
        String key = Keys.sha256e(content, ".bin");
        assertThat(api.checkpresent(key).text()).contains("false");
        RawApi.Response put = api.put("v4", key, content, content.length);
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.text()).contains("\"stored\":true");
        assertThat(r2.hasContent(key)).isTrue();
        assertThat(servedWhereis(key)).contains(r2.uuid());
        assertThat(api.checkpresent(key).text()).contains("true");

        RawApi.Response get = api.get("v4", key);
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.header("X-git-annex-data-length")).isEqualTo(Integer.toString(content.length));
        assertThat(get.body()).isEqualTo(content);
        RawApi.Response tail = api.get("v3", key, "offset", 1000);
        assertThat(tail.body()).hasSize(content.length - 1000);

        assertThat(api.post("v4", "gettimestamp", "clientuuid", RawApi.CLIENT).text()).contains("timestamp");
        RawApi.Response removed = api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT);
        assertThat(removed.text()).contains("\"removed\":true");
        assertThat(r2.hasContent(key)).isFalse();
        assertThat(servedWhereis(key)).doesNotContain(r2.uuid());
    }

    @Test
    void olderClientsAreProxiedAtTheirOwnVersionAndAnAbsentKeyIsAnEmptyAnswer() {
        byte[] content = bytes(5_000, 4);
        String key = Keys.sha256e(content, ".bin");
        RawApi.Response absent = api.get("v2", key);
        assertThat(absent.status()).isEqualTo(200);
        assertThat(absent.header("X-git-annex-data-length")).isEqualTo("0");
        assertThat(absent.body()).isEmpty();
        assertThat(api.put("v1", key, content, content.length).text()).contains("\"stored\":true");
        assertThat(api.get("v0", key).body()).isEqualTo(content);
        assertThat(api.post("v1", "remove", "key", key, "clientuuid", RawApi.CLIENT).text())
                .contains("\"removed\":true");
        assertThat(r2.hasContent(key)).isFalse();
    }

    @Test
    void aLockHeldThroughTheProxyStopsRemovalUntilUnlocked() throws Exception {
        byte[] content = bytes(10_000, 3);
        String key = Keys.sha256e(content, ".bin");
        assertThat(api.put("v4", key, content, content.length).text()).contains("\"stored\":true");
        RawApi.Response locked = api.post("v4", "lockcontent", "key", key, "clientuuid", RawApi.CLIENT);
        assertThat(locked.text()).contains("\"locked\":true");
        String lockId = locked.text().replaceAll(".*\"lockid\":\"([^\"]+)\".*", "$1").strip();
        PipedOutputStream unlock = new PipedOutputStream();
        InputStream body = new PipedInputStream(unlock);
        var kept = api.keepLocked(lockId, () -> body);

        RawApi.Response refused = api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT);
        assertThat(refused.text()).contains("\"removed\":false");
        assertThat(r2.hasContent(key)).isTrue();

        unlock.write("{\"unlock\":true}\n".getBytes(StandardCharsets.UTF_8));
        unlock.close();
        assertThat(kept.get().statusCode()).isEqualTo(200);
        assertThat(api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text())
                .contains("\"removed\":true");
    }

    @Test
    void aLockWhoseRemoteProcessDiesEndsItsKeeplockedAndIsNoLongerHeld() throws Exception {
        byte[] content = bytes(10_000, 5);
        String key = Keys.sha256e(content, ".bin");
        assertThat(api.put("v4", key, content, content.length).text()).contains("\"stored\":true");
        String lockId = api.lockContent(key);
        String r = "remote=\"" + r2.uuid() + "\"";
        try (KeepLockedPoll poll = KeepLockedPoll.start(server, api, lockId)) {
            assertThat(AnnexgateServer.sum(server.prometheus(), "annexgate_proxy_locks_held{", r)).isEqualTo(1);
            // the git-annex-shell holding r2's content lock for us
            Path lockFile = r2.dir().resolve(r2.annex("contentlocation", key).strip() + ".lck");
            ProcessHandle holder = ProcLocks.on(lockFile).stream()
                    .filter(e -> !e.waiting())
                    .map(e -> ProcessHandle.of(e.pid()).orElseThrow())
                    .filter(p -> ProcessHandle.current().descendants().anyMatch(p::equals))
                    .findFirst().orElseThrow();
            assertThat(holder.info().commandLine().orElse("")).contains("p2pstdio");
            holder.destroyForcibly();

            assertThat(poll.answer().get(30, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200")
                    .endsWith("{\"locked\":false}");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    AnnexgateServer.sum(server.prometheus(), "annexgate_proxy_locks_held{", r) == 0);
        }
        // r2 keeps the retention its lock wrote, as after any lost lock, so the content stays
        assertThat(api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text())
                .contains("\"removed\":false");
        assertThat(r2.hasContent(key)).isTrue();
    }

    @Test
    void gitAnnexTestremotePassesAgainstTheProxiedRemote() {
        ProxiedRoundTrip.testremote(client, "origin-r2");
    }

    @Test
    void aRemoteConfiguredWhileServingIsProxiedWithoutRestart() {
        AnnexRepo late = AnnexRepo.init(tmp, "late");
        RawApi lateApi = new RawApi(server, late.uuid());
        String key = Keys.sha256e("late");
        assertThat(lateApi.checkpresent(key).status()).isEqualTo(404);
        served.git("remote", "add", "late", "../late");
        served.git("config", "remote.late.annex-uuid", late.uuid());
        served.git("config", "remote.late.annex-proxy", "true");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(lateApi.checkpresent(key).status()).isEqualTo(200));
        assertThat(lateApi.checkpresent(key).text()).contains("false");
    }

    @Test
    void unknownUuidIs404AndAProxiedRemoteThatCannotBeUsedIs502() {
        RawApi unknown = new RawApi(server, "0badc0de-0000-4000-8000-000000000404");
        assertThat(unknown.checkpresent(Keys.sha256e("x")).status()).isEqualTo(404);
        RawApi missing = new RawApi(server, "0badc0de-0000-4000-8000-000000000502");
        RawApi.Response answer = missing.checkpresent(Keys.sha256e("x"));
        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.text()).contains("cannot reach remote missing");
        RawApi retired = new RawApi(server, "0badc0de-0000-4000-8000-000000000503");
        RawApi.Response notConfigured = retired.checkpresent(Keys.sha256e("x"));
        assertThat(notConfigured.status()).isEqualTo(502);
        assertThat(notConfigured.text()).isEqualTo("not configured to proxy for repository retired");
    }

    @Test
    void poolMetersAppearAfterProxiedTraffic() throws Exception {
        api.checkpresent(Keys.sha256e("meters"));
        String metrics = server.prometheus();
        String r = "remote=\"" + r2.uuid() + "\"";
        for (String series : new String[] {"annexgate_proxy_connections_opened_total{",
                "annexgate_proxy_connections_idle{", "annexgate_proxy_connections_active{",
                "annexgate_proxy_connections_reused_total{", "annexgate_proxy_connections_evicted_total{"}) {
            assertThat(metrics.lines().filter(l -> l.startsWith(series) && l.contains(r))).hasSize(1);
        }
        // the dashboard's pool panel and the proxy-failure alert: failures when opening, when found broken,
        // and when no connection came free under annexgate.proxy.max-connections
        assertThat(metrics.lines().filter(l -> l.startsWith("annexgate_proxy_connections_failed_total{") && l.contains(r)))
                .hasSize(3);
    }
}
