package io.annexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Keys;
import io.annexgate.testing.ProxiedRoundTrip;
import io.annexgate.testing.RawApi;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A special remote of a kind Annexgate does not store to itself (here a chunked directory remote)
 * is proxied through git-annex-shell in the served repository: git-annex does the storing, in its
 * own chunked layout, and the real client copies, gets, checks and drops through our server.
 */
class SpecialRemoteThroughGitAnnexTest {

    @TempDir
    static Path tmp;

    static AnnexRepo served;
    static Path store;
    static String remoteUuid;
    static AnnexgateServer server;
    static AnnexRepo client;

    @BeforeAll
    static void start() throws Exception {
        served = AnnexRepo.init(tmp, "served");
        served.add("seed.txt", "seed\n".getBytes(StandardCharsets.UTF_8));
        store = Files.createDirectories(tmp.resolve("chunked-store"));
        served.annex("initremote", "chunked", "type=directory", "directory=" + store, "encryption=none",
                "chunk=64KiB");
        served.git("config", "remote.chunked.annex-proxy", "true");
        served.annex("updateproxy");
        remoteUuid = served.git("config", "remote.chunked.annex-uuid").strip();
        server = AnnexgateServer.serve(served.dir(), "--wideopen", "--annexgate.proxy.idle-timeout=1s");
        client = ProxiedRoundTrip.clientOf(served, tmp, server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Chunk files of {@code key} in the store: chunk keys name the chunk size and number, then the hash. */
    private static long chunkFiles(String key) throws Exception {
        String hash = key.substring(key.indexOf("--"));
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(name -> name.contains("-S65536-C") && name.endsWith(hash)).count();
        }
    }

    @Test
    void clientCopiesGetsChecksAndDropsAndGitAnnexFindsTheChunks() throws Exception {
        byte[] content = new byte[200_000];
        new Random(7).nextBytes(content);
        String key = client.add("chunky.bin", content);
        client.annex("copy", "--to", "origin-chunked", "chunky.bin");

        assertThat(chunkFiles(key)).isEqualTo(4);
        assertThat(served.tryAnnex("checkpresentkey", key, "chunked").ok()).isTrue();
        assertThat(served.tryAnnex("whereis", "--key", key).output()).contains(remoteUuid);
        assertThat(client.tryAnnex("checkpresentkey", key, "origin-chunked").ok()).isTrue();

        client.annex("drop", "--force", "chunky.bin");
        client.annex("get", "--from", "origin-chunked", "chunky.bin");
        assertThat(Files.readAllBytes(client.dir().resolve("chunky.bin"))).isEqualTo(content);

        client.annex("drop", "--from", "origin-chunked", "chunky.bin");
        assertThat(chunkFiles(key)).isZero();
        assertThat(served.tryAnnex("checkpresentkey", key, "chunked").ok()).isFalse();
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        RawApi api = new RawApi(server, remoteUuid);
        api.checkpresent(Keys.sha256e("idle"));
        String remote = "remote=\"" + remoteUuid + "\"";
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = server.prometheus();
            assertThat(AnnexgateServer.sum(metrics, "annexgate_proxy_connections_idle{", remote)).isEqualTo(0.0);
            assertThat(AnnexgateServer.sum(metrics, "annexgate_proxy_connections_evicted_total{", remote)).isGreaterThanOrEqualTo(1.0);
        });
    }

    @Test
    void aSpecialRemoteCannotLockAndAWrongBodyStoresNothing() throws Exception {
        RawApi api = new RawApi(server, remoteUuid);
        byte[] content = "locked?\n".getBytes(StandardCharsets.UTF_8);
        String key = Keys.sha256e(content, ".txt");
        assertThat(api.put("v4", key, content, content.length).text()).contains("\"stored\":true");
        assertThat(api.post("v4", "lockcontent", "key", key, "clientuuid", RawApi.CLIENT).text())
                .contains("\"locked\":false");

        byte[] other = "the real one\n".getBytes(StandardCharsets.UTF_8);
        String otherKey = Keys.sha256e(other, ".txt");
        byte[] wrong = "the fake one\n".getBytes(StandardCharsets.UTF_8);
        assertThat(api.put("v4", otherKey, wrong, wrong.length).text()).contains("\"stored\":false");
        assertThat(served.tryAnnex("checkpresentkey", otherKey, "chunked").ok()).isFalse();
    }
}
