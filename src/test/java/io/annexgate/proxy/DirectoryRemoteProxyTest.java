package io.annexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.service.AnnexTarget;
import io.annexgate.protocol.Key;
import io.annexgate.proxy.special.DirectoryRemote;
import io.annexgate.proxy.special.SpecialRemoteTarget;
import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Keys;
import io.annexgate.testing.ProxiedRoundTrip;
import io.annexgate.testing.RawApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A served repository proxying for its directory special remote {@code d}, which Annexgate stores
 * to itself: the real client through {@code origin-d}, raw HTTP on d's uuid, and git-annex in the
 * served repository checking that everything is where it looks for it.
 */
class DirectoryRemoteProxyTest {

    @TempDir
    static Path tmp;

    static Path store;
    static Path encryptedStore;
    static String e;
    static AnnexRepo served;
    static AnnexgateServer server;
    static AnnexRepo client;
    static String d;
    static RawApi api;

    @BeforeAll
    static void start() throws Exception {
        store = Files.createDirectories(tmp.resolve("store"));
        served = AnnexRepo.init(tmp, "served");
        served.add("seed.txt", "seed\n".getBytes(StandardCharsets.UTF_8));
        served.annex("initremote", "d", "type=directory", "directory=" + store, "encryption=none");
        served.git("config", "remote.d.annex-proxy", "true");
        encryptedStore = Files.createDirectories(tmp.resolve("encrypted"));
        served.annex("initremote", "e", "type=directory", "directory=" + encryptedStore, "encryption=shared");
        served.git("config", "remote.e.annex-proxy", "true");
        served.annex("updateproxy");
        d = served.git("config", "remote.d.annex-uuid").strip();
        e = served.git("config", "remote.e.annex-uuid").strip();
        server = AnnexgateServer.serve(served.dir(), "--wideopen");
        api = new RawApi(server, d);
        client = ProxiedRoundTrip.clientOf(served, tmp, server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static byte[] bytes(int n, long seed) {
        return ProxiedRoundTrip.bytes(n, seed);
    }

    private static DirectoryRemote layout() {
        return new DirectoryRemote(store, 0);
    }

    /** Files in the store, apart from git-annex's (empty) tmp directory. */
    private static long filesIn(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void theClientSeesOriginDAndTheRemoteIsStoredNatively() {
        assertThat(client.annex("info", "--fast")).contains("[origin-d]");
        ProxiedRemotes proxied = server.bean(ProxiedRemotes.class);
        assertThat(proxied.find(new AnnexUuid(d)).map(AnnexTarget::underlying)).get().isInstanceOf(SpecialRemoteTarget.class);
    }

    @Test
    void copyCheckpresentGetAndDropThroughTheProxyLandWhereGitAnnexLooks() throws Exception {
        byte[] content = bytes(300_000, 1);
        String key = client.add("big.bin", content);
        client.annex("copy", "--to", "origin-d", "big.bin");

        Path file = layout().locations(Key.parse(key)).get(0);
        assertThat(file).hasBinaryContent(content);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).doesNotContain("w");
        assertThat(store.resolve("tmp")).isEmptyDirectory();
        // git-annex itself, in the served repository, finds the content where Annexgate put it
        assertThat(served.tryAnnex("checkpresentkey", key, "d").ok()).isTrue();
        assertThat(served.tryAnnex("whereis", "--key", key).output()).contains(d);
        served.annex("fsck", "--from", "d", "--fast", "--key", key);
        assertThat(client.tryAnnex("checkpresentkey", key, "origin-d").ok()).isTrue();

        client.annex("drop", "--force", "big.bin");
        client.annex("get", "--from", "origin-d", "big.bin");
        assertThat(Files.readAllBytes(client.dir().resolve("big.bin"))).isEqualTo(content);

        client.annex("drop", "--from", "origin-d", "big.bin");
        assertThat(file).doesNotExist();
        assertThat(served.tryAnnex("checkpresentkey", key, "d").ok()).isFalse();
        assertThat(served.tryAnnex("whereis", "--key", key).output()).doesNotContain(d);
        assertThat(client.tryAnnex("checkpresentkey", key, "origin-d").ok()).isFalse();
    }

    @Test
    void contentGitAnnexStoredIsReadThroughTheProxy() throws Exception {
        byte[] content = bytes(70_000, 2);
        String key = served.add("from-served.bin", content);
        served.annex("copy", "--to", "d", "from-served.bin");
        assertThat(layout().locations(Key.parse(key)).get(0)).hasBinaryContent(content);
        assertThat(api.checkpresent(key).text()).contains("true");
        RawApi.Response got = api.get("v4", key);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(content);
        client.annex("sync", "--no-content", "-q");
        client.annex("get", "--from", "origin-d", "from-served.bin");
        assertThat(Files.readAllBytes(client.dir().resolve("from-served.bin"))).isEqualTo(content);
    }

    @Test
    void aRawPutWithWrongContentLeavesNothingInTheDirectory() throws Exception {
        byte[] content = bytes(50_000, 3);
        String key = Keys.sha256e(content, ".bin");
        byte[] wrong = content.clone();
        wrong[100] ^= 1;
        long before = filesIn(store);
        RawApi.Response put = api.put("v4", key, wrong, wrong.length);
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.text()).contains("\"stored\":false");
        assertThat(filesIn(store)).isEqualTo(before);
        assertThat(layout().storeDir(Key.parse(key))).doesNotExist();
        assertThat(layout().tmpDir(Key.parse(key))).doesNotExist();
        assertThat(api.checkpresent(key).text()).contains("false");
        assertThat(served.tryAnnex("checkpresentkey", key, "d").ok()).isFalse();

        RawApi.Response right = api.put("v4", key, content, content.length);
        assertThat(right.text()).contains("\"stored\":true");
        assertThat(served.tryAnnex("checkpresentkey", key, "d").ok()).isTrue();
    }

    @Test
    void anEncryptedDirectoryRemoteKeepsTheRouteThroughGitAnnexShell() throws Exception {
        assertThat(server.bean(ProxiedRemotes.class).find(new AnnexUuid(e)).map(AnnexTarget::underlying)).get()
                .isInstanceOf(ProxiedRemoteTarget.class);
        byte[] content = bytes(20_000, 5);
        String key = client.add("secret.bin", content);
        client.annex("copy", "--to", "origin-e", "secret.bin");
        assertThat(served.tryAnnex("checkpresentkey", key, "e").ok()).isTrue();
        // stored by git-annex, encrypted: no file of the store holds the key's name or its content
        try (Stream<Path> all = Files.walk(encryptedStore)) {
            assertThat(all.filter(Files::isRegularFile)).isNotEmpty()
                    .noneMatch(p -> p.toString().contains(key));
        }
        client.annex("drop", "--force", "secret.bin");
        client.annex("get", "--from", "origin-e", "secret.bin");
        assertThat(Files.readAllBytes(client.dir().resolve("secret.bin"))).isEqualTo(content);
    }

    @Test
    void lockcontentAnswersNotLocked() {
        byte[] content = bytes(1_000, 4);
        String key = Keys.sha256e(content, ".bin");
        assertThat(api.put("v4", key, content, content.length).text()).contains("\"stored\":true");
        RawApi.Response locked = api.post("v4", "lockcontent", "key", key, "clientuuid", RawApi.CLIENT);
        assertThat(locked.status()).isEqualTo(200);
        assertThat(locked.text()).contains("\"locked\":false");
    }

    @Test
    void gitAnnexTestremotePassesAgainstTheDirectoryRemote() {
        ProxiedRoundTrip.testremote(client, "origin-d");
    }

}
