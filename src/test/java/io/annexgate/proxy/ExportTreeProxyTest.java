package io.annexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.service.AnnexTarget;
import io.annexgate.protocol.Key;
import io.annexgate.proxy.special.SpecialRemoteTarget;
import io.annexgate.repository.HashDirectories;
import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Command;
import io.annexgate.testing.Keys;
import io.annexgate.testing.ProxiedRoundTrip;
import io.annexgate.testing.RawApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A served repository proxying for its directory special remote {@code d} with
 * {@code exporttree=yes annexobjects=yes}, tracking branch {@code main}, which Annexgate stores to
 * itself. The tree is exported by git-annex 10.20250416 in the served repository: a push of
 * {@code synced/main} by the client's {@code git annex sync} runs the post-receive hook
 * {@code git annex init} installed, {@code git annex post-receive}, which exports the pushed tree
 * to every proxied export remote tracking that branch (Command/PostReceive.hs
 * {@code proxyExportTree}, then Command/Export.hs {@code seekExport}).
 */
class ExportTreeProxyTest {

    @TempDir
    static Path tmp;

    static Path store;
    static AnnexRepo served;
    static AnnexgateServer server;
    static AnnexRepo client;
    static String d;
    static RawApi api;

    @BeforeAll
    static void start() throws Exception {
        store = Files.createDirectories(tmp.resolve("export"));
        served = AnnexRepo.init(tmp, "served");
        served.add("seed.txt", "seed\n".getBytes(StandardCharsets.UTF_8));
        served.annex("initremote", "d", "type=directory", "directory=" + store, "encryption=none",
                "exporttree=yes", "annexobjects=yes");
        served.git("config", "remote.d.annex-tracking-branch", "main");
        served.git("config", "remote.d.annex-proxy", "true");
        served.annex("updateproxy");
        d = served.git("config", "remote.d.annex-uuid").strip();
        server = AnnexgateServer.serve(served.dir(), "--wideopen");
        api = new RawApi(server, d);
        client = AnnexRepo.cloneOf(served, tmp, "client", server.annexUrl());
        // the first push exports the served repository's own seed.txt
        push();
        assertThat(store.resolve("seed.txt")).hasContent("seed");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The client's sync: pulls, pushes synced/main, and the served repository's post-receive exports it. */
    private static String push() {
        return client.annex("sync", "--no-content");
    }

    private static byte[] bytes(int n, long seed) {
        return ProxiedRoundTrip.bytes(n, seed);
    }

    /** exportAnnexObjectLocation: {@code .git/annex/objects/<hashdirlower>/<keyfile>/<keyfile>} in the remote. */
    private static Path annexObject(String key) {
        Key k = Key.parse(key);
        return store.resolve(".git/annex/objects").resolve(HashDirectories.lower(k, 2)).resolve(k.fileName())
                .resolve(k.fileName());
    }

    private static Object inode(Path file) throws Exception {
        return Files.getAttribute(file, "unix:ino");
    }

    private static boolean gitAnnexFinds(String key) {
        return served.tryAnnex("checkpresentkey", key, "d").ok();
    }

    @Test
    void theRemoteIsStoredNativelyAndTheClientSeesOriginD() {
        assertThat(client.annex("info", "--fast")).contains("[origin-d]");
        assertThat(server.bean(ProxiedRemotes.class).find(new AnnexUuid(d)).map(AnnexTarget::underlying)).get()
                .isInstanceOf(SpecialRemoteTarget.class);
        RawApi.Response locked = api.post("v4", "lockcontent", "key", Keys.sha256e("seed\n"), "clientuuid",
                RawApi.CLIENT);
        assertThat(locked.text()).contains("\"locked\":false");
    }

    @Test
    void contentCopiedBeforeTheTreeNamesItIsRenamedIntoTheExportNotUploadedAgain() throws Exception {
        byte[] content = bytes(200_000, 1);
        String key = client.add("big.bin", content);
        client.annex("copy", "--to", "origin-d", "big.bin");
        Path object = annexObject(key);
        assertThat(object).hasBinaryContent(content);
        assertThat(store.resolve("big.bin")).doesNotExist();
        assertThat(gitAnnexFinds(key)).isTrue();
        RawApi.Response got = api.get("v4", key);
        assertThat(got.body()).isEqualTo(content);
        Object uploaded = inode(object);

        String pushed = push();
        assertThat(pushed).contains("export d big.bin");
        Path exported = store.resolve("big.bin");
        assertThat(exported).hasBinaryContent(content);
        // the very file the proxy stored, renamed: an upload would have made a new one
        assertThat(inode(exported)).isEqualTo(uploaded);
        assertThat(object).doesNotExist();
        assertThat(store.resolve(".git")).doesNotExist();
        assertThat(gitAnnexFinds(key)).isTrue();
        assertThat(client.tryAnnex("checkpresentkey", key, "origin-d").ok()).isTrue();

        client.annex("drop", "--force", "big.bin");
        client.annex("get", "--from", "origin-d", "big.bin");
        assertThat(Files.readAllBytes(client.dir().resolve("big.bin"))).isEqualTo(content);
        // a key of the exported tree can only leave it with a tree that lacks it
        assertThat(client.tryAnnex("drop", "--from", "origin-d", "big.bin").ok()).isFalse();
        assertThat(exported).hasBinaryContent(content);
    }

    @Test
    void aKeyTheTreeAlreadyNamesIsStoredAtEachOfItsPaths() throws Exception {
        byte[] content = bytes(30_000, 2);
        String key = client.add("c.bin", content);
        Files.createDirectories(client.dir().resolve("sub"));
        Files.write(client.dir().resolve("sub/c2.bin"), content);
        // one of the two unlocked, so the tree holds a pointer file as well as a symlink
        Command.ok(client.dir(), "git", "-c", "annex.addunlocked=true", "annex", "add", "-q", "sub/c2.bin");
        client.git("commit", "-q", "-m", "c2");
        push();
        assertThat(store.resolve("c.bin")).doesNotExist();

        client.annex("copy", "--to", "origin-d", "c.bin");
        assertThat(store.resolve("c.bin")).hasBinaryContent(content);
        assertThat(store.resolve("sub/c2.bin")).hasBinaryContent(content);
        assertThat(inode(store.resolve("c.bin"))).isNotEqualTo(inode(store.resolve("sub/c2.bin")));
        assertThat(annexObject(key)).doesNotExist();
        assertThat(gitAnnexFinds(key)).isTrue();
        assertThat(client.tryAnnex("checkpresentkey", key, "origin-d").ok()).isTrue();
        // git-annex's next export finds both files in place (its checkpresent) and uploads nothing
        Object before = inode(store.resolve("c.bin"));
        String exported = served.annex("export", "synced/main", "--to", "d");
        assertThat(exported).contains("export d c.bin").contains("export d sub/c2.bin");
        assertThat(exported.lines().filter(l -> l.contains("c.bin") || l.contains("c2.bin")))
                .noneMatch(l -> l.contains("from d") || l.contains("to d"));
        assertThat(inode(store.resolve("c.bin"))).isEqualTo(before);
    }

    @Test
    void aKeyAtTwoPathsIsRenamedToOneAndCopiedToTheOther() throws Exception {
        byte[] content = bytes(40_000, 3);
        Files.write(client.dir().resolve("a.bin"), content);
        Files.write(client.dir().resolve("b.bin"), content);
        client.annex("add", "-q", "a.bin", "b.bin");
        client.git("commit", "-q", "-m", "a and b");
        String key = client.key("a.bin");
        client.annex("copy", "--to", "origin-d", "a.bin");
        Path object = annexObject(key);
        Object uploaded = inode(object);

        push();
        assertThat(store.resolve("a.bin")).hasBinaryContent(content);
        assertThat(store.resolve("b.bin")).hasBinaryContent(content);
        assertThat(inode(store.resolve("a.bin"))).isEqualTo(uploaded);
        assertThat(inode(store.resolve("b.bin"))).isNotEqualTo(uploaded);
        assertThat(object).doesNotExist();
    }

    @Test
    void contentLeavingTheTreeGoesBackToAnnexobjectsAndIsDroppedFromThere() throws Exception {
        byte[] content = bytes(20_000, 4);
        String key = client.add("gone.bin", content);
        push();
        client.annex("copy", "--to", "origin-d", "gone.bin");
        Path exported = store.resolve("gone.bin");
        assertThat(exported).hasBinaryContent(content);
        Object stored = inode(exported);

        client.git("rm", "-q", "gone.bin");
        client.git("commit", "-q", "-m", "rm gone.bin");
        push();
        // git-annex's export keeps content that leaves the tree, moving it to annexobjects
        assertThat(exported).doesNotExist();
        assertThat(annexObject(key)).hasBinaryContent(content);
        assertThat(inode(annexObject(key))).isEqualTo(stored);
        assertThat(api.checkpresent(key).text()).contains("true");
        assertThat(gitAnnexFinds(key)).isTrue();

        // no longer in the tree, so a drop through the proxy removes it from annexobjects
        client.annex("drop", "--from", "origin-d", "--key", key, "--force");
        assertThat(annexObject(key)).doesNotExist();
        assertThat(gitAnnexFinds(key)).isFalse();
        assertThat(served.tryAnnex("whereis", "--key", key).output()).doesNotContain(d);
    }

    @Test
    void rawPutOfAKeyNoTreeNamesGoesToAnnexobjectsAndWrongContentLeavesNothing() throws Exception {
        byte[] content = bytes(10_000, 5);
        String key = Keys.sha256e(content, ".bin");
        byte[] wrong = content.clone();
        wrong[7] ^= 1;
        RawApi.Response refused = api.put("v4", key, wrong, wrong.length);
        assertThat(refused.text()).contains("\"stored\":false");
        assertThat(annexObject(key).getParent()).doesNotExist();
        assertThat(api.checkpresent(key).text()).contains("false");

        assertThat(api.put("v4", key, content, content.length).text()).contains("\"stored\":true");
        assertThat(annexObject(key)).hasBinaryContent(content);
        assertThat(gitAnnexFinds(key)).isTrue();
        assertThat(api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text())
                .contains("\"removed\":true");
        assertThat(annexObject(key)).doesNotExist();
        assertThat(gitAnnexFinds(key)).isFalse();
    }

    @Test
    void gitAnnexTestremotePassesAgainstTheExportRemote() {
        ProxiedRoundTrip.testremote(client, "origin-d");
    }

}
