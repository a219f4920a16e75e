package io.annexgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Keys;
import io.annexgate.testing.ProxiedRoundTrip;
import io.annexgate.testing.RawApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A served repository that is the gateway of cluster {@code bunch} with nodes n1 and n2 (local git
 * remotes): the real client copies to, gets from and drops on {@code origin-bunch}; raw requests
 * show the fan-out in plusuuids and the translated remove-before deadline.
 */
class ClusterTest {

    @TempDir
    static Path tmp;

    static AnnexRepo gateway;
    static AnnexRepo n1;
    static AnnexRepo n2;
    static String clusterUuid;
    static AnnexgateServer server;
    static AnnexRepo client;
    static RawApi api;

    @BeforeAll
    static void start() {
        gateway = AnnexRepo.init(tmp, "gateway");
        gateway.add("seed.txt", "seed\n".getBytes(StandardCharsets.UTF_8));
        n1 = AnnexRepo.init(tmp, "n1");
        n2 = AnnexRepo.init(tmp, "n2");
        for (String n : List.of("n1", "n2")) {
            gateway.git("remote", "add", n, "../" + n);
        }
        gateway.tryAnnex("sync", "--no-content", "-q");
        gateway.annex("initcluster", "bunch");
        for (String n : List.of("n1", "n2")) {
            gateway.git("config", "remote." + n + ".annex-cluster-node", "bunch");
        }
        gateway.annex("updatecluster");
        gateway.annex("updateproxy");
        clusterUuid = gateway.git("config", "annex.cluster.bunch").strip();
        server = AnnexgateServer.serve(gateway.dir(), "--wideopen", "--clusterjobs=2");
        api = new RawApi(server, clusterUuid);
        client = ProxiedRoundTrip.clientOf(gateway, tmp, server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static byte[] bytes(int n, long seed) {
        return ProxiedRoundTrip.bytes(n, seed);
    }

    @Test
    void clientCopiesToEveryNodeGetsFromOneAndDropsFromAll() throws Exception {
        assertThat(client.annex("info", "--fast")).contains("[origin-bunch]");
        byte[] content = bytes(150_000, 1);
        String key = client.add("c.bin", content);
        client.annex("copy", "--to", "origin-bunch", "c.bin");
        assertThat(n1.hasContent(key)).isTrue();
        assertThat(n2.hasContent(key)).isTrue();
        String where = client.tryAnnex("whereis", "--key", key).output();
        assertThat(where).contains(n1.uuid()).contains(n2.uuid());

        client.annex("drop", "--force", "c.bin");
        client.annex("get", "--from", "origin-bunch", "c.bin");
        assertThat(Files.readAllBytes(client.dir().resolve("c.bin"))).isEqualTo(content);

        client.annex("drop", "--from", "origin-bunch", "c.bin");
        assertThat(n1.hasContent(key)).isFalse();
        assertThat(n2.hasContent(key)).isFalse();
    }

    @Test
    void rawPutListsTheNodesAndASecondPutIsAlreadyThere() {
        byte[] content = bytes(999, 2);
        String key = Keys.sha256e(content, ".bin");
        RawApi.Response put = api.put("v4", key, content, content.length);
        assertThat(put.text()).contains("\"stored\":true").contains(n1.uuid()).contains(n2.uuid());
        assertThat(n1.hasContent(key)).isTrue();
        assertThat(n2.hasContent(key)).isTrue();
        assertThat(api.checkpresent(key).text()).contains("\"present\":true");
        assertThat(api.post("v4", "putoffset", "key", key, "clientuuid", RawApi.CLIENT).text())
                .contains("alreadyhave").contains(n1.uuid()).contains(n2.uuid());
        assertThat(api.get("v4", key).body()).isEqualTo(content);
        // v1 answers have no plusuuids
        assertThat(api.put("v1", key, content, content.length).text()).doesNotContain("plusuuids");
    }

    @Test
    void removeBeforeIsTranslatedOntoEachNodesClock() {
        byte[] content = bytes(4444, 3);
        String key = Keys.sha256e(content, ".bin");
        assertThat(api.put("v4", key, content, content.length).text()).contains("\"stored\":true");
        long now = Long.parseLong(api.post("v4", "gettimestamp", "clientuuid", RawApi.CLIENT).text()
                .replaceAll("\\D", ""));
        assertThat(api.post("v4", "remove-before", "key", key, "clientuuid", RawApi.CLIENT, "timestamp", now - 60)
                .text()).contains("\"removed\":false");
        assertThat(n1.hasContent(key)).isTrue();
        assertThat(n2.hasContent(key)).isTrue();
        RawApi.Response removed = api.post("v4", "remove-before", "key", key, "clientuuid", RawApi.CLIENT,
                "timestamp", now + 600);
        assertThat(removed.text()).contains("\"removed\":true").contains(n1.uuid()).contains(n2.uuid());
        assertThat(n1.hasContent(key)).isFalse();
        assertThat(n2.hasContent(key)).isFalse();
        assertThat(api.checkpresent(key).text()).contains("\"present\":false");
    }

    @Test
    void clustersDoNotLockAndAnAbsentKeyIsAnEmptyAnswer() {
        byte[] content = bytes(100, 4);
        String key = Keys.sha256e(content, ".bin");
        RawApi.Response absent = api.get("v4", key);
        assertThat(absent.status()).isEqualTo(200);
        assertThat(absent.header("X-git-annex-data-length")).isEqualTo("0");
        assertThat(api.put("v4", key, content, content.length).text()).contains("\"stored\":true");
        assertThat(api.post("v4", "lockcontent", "key", key, "clientuuid", RawApi.CLIENT).text())
                .contains("\"locked\":false");
    }

    private static long offset(RawApi on, String key) {
        String answer = on.post("v4", "putoffset", "key", key, "clientuuid", RawApi.CLIENT).text();
        assertThat(answer).matches("\\{\"offset\":[0-9]+}");
        return Long.parseLong(answer.replaceAll("\\D", ""));
    }

    @Test
    void aPutIsResumedFromTheLowestOffsetOfTheNodesAndEachSkipsWhatItHas() {
        byte[] content = bytes(300_000, 6);
        String key = Keys.sha256e(content, ".bin");
        // n1 alone receives the first 100,000 bytes and keeps them
        RawApi.Response cut = api.put("v4", key, Arrays.copyOf(content, 100_000), content.length, "bypass", n2.uuid());
        assertThat(cut.text()).contains("\"stored\":false");
        // (git-annex keeps what it had written when the data stopped: a part of it)
        assertThat(offset(new RawApi(server, n1.uuid()), key)).isPositive();
        // n2 has nothing: the cluster's put starts at 0, and n1 takes only what it lacks
        assertThat(offset(api, key)).isZero();
        RawApi.Response whole = api.put("v4", key, content, content.length);
        assertThat(whole.text()).contains("\"stored\":true").contains(n1.uuid()).contains(n2.uuid());
        assertThat(n1.hasContent(key)).isTrue();
        assertThat(n2.hasContent(key)).isTrue();

        // both nodes hold a first part: the cluster asks from the lower of their offsets
        byte[] other = bytes(300_000, 7);
        String otherKey = Keys.sha256e(other, ".bin");
        assertThat(api.put("v4", otherKey, Arrays.copyOf(other, 120_000), other.length).text())
                .contains("\"stored\":false");
        long n1Has = offset(new RawApi(server, n1.uuid()), otherKey);
        long n2Has = offset(new RawApi(server, n2.uuid()), otherKey);
        assertThat(n1Has).isPositive();
        assertThat(n2Has).isPositive();
        int from = (int) offset(api, otherKey);
        assertThat(from).isEqualTo(Math.min(n1Has, n2Has));
        assertThat(api.put("v4", otherKey, Arrays.copyOfRange(other, from, other.length), other.length - from,
                "offset", from).text()).contains("\"stored\":true").contains(n1.uuid()).contains(n2.uuid());
        assertThat(n1.hasContent(otherKey)).isTrue();
        assertThat(n2.hasContent(otherKey)).isTrue();
        assertThat(api.get("v4", otherKey).body()).isEqualTo(other);
    }

    @Test
    void aBypassedNodeIsLeftOut() {
        byte[] content = bytes(2000, 5);
        String key = Keys.sha256e(content, ".bin");
        RawApi.Response put = api.put("v4", key, content, content.length, "bypass", n2.uuid());
        assertThat(put.text()).contains("\"stored\":true").contains(n1.uuid()).doesNotContain(n2.uuid());
        assertThat(n1.hasContent(key)).isTrue();
        assertThat(n2.hasContent(key)).isFalse();
    }

    @Test
    void gitAnnexTestremotePassesAgainstTheCluster() {
        ProxiedRoundTrip.testremote(client, "origin-bunch");
    }

}
