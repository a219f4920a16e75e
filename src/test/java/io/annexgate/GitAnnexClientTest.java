package io.annexgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Command;
import io.annexgate.testing.ProxiedRoundTrip;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real git-annex client against Annexgate serving a real repository. */
class GitAnnexClientTest {

    @TempDir
    Path tmp;

    AnnexRepo served;
    AnnexgateServer server;
    AnnexRepo client;

    @BeforeEach
    void start() {
        served = AnnexRepo.init(tmp, "served");
        served.add("seed.txt", "seed\n".getBytes(StandardCharsets.UTF_8));
        server = AnnexgateServer.serve(served.dir(), "--wideopen");
        client = AnnexRepo.cloneOf(served, tmp, "client", server.annexUrl());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static byte[] bytes(int n, long seed) {
        return ProxiedRoundTrip.bytes(n, seed);
    }

    @Test
    void copyToStoresVerifiedObjectAndWhereisInServedRepoListsBoth() throws Exception {
        String key = client.add("big.bin", bytes(3 * 1024 * 1024 + 17, 1));

        client.annex("copy", "--to", "origin", "big.bin");
        client.git("push", "-q", "origin", "git-annex:synced/git-annex");

        assertThat(served.hasContent(key)).isTrue();
        String whereis = served.annex("whereis", "--key", key);
        assertThat(whereis).contains("served").contains("client").contains("2 copies");
        assertThat(served.annex("fsck", "--key", key)).contains("ok");
        Path object = served.dir().resolve(served.annex("contentlocation", key).strip());
        assertThat(Files.getPosixFilePermissions(object)).noneMatch(p -> p.name().endsWith("WRITE"));
    }

    @Test
    void getFromFetchesContentIdenticalToTheOriginal() throws Exception {
        byte[] content = bytes(1024 * 1024, 2);
        String key = served.add("fetched.bin", content);
        client.git("pull", "-q", "origin", "main");

        client.annex("get", "--from", "origin", "fetched.bin");

        assertThat(Files.readAllBytes(client.dir().resolve("fetched.bin"))).isEqualTo(content);
        assertThat(client.hasContent(key)).isTrue();
    }

    @Test
    void moveToAndBackLeavesContentWhereItWentLast() {
        String key = client.add("moved.txt", "move me\n".getBytes(StandardCharsets.UTF_8));

        client.annex("move", "--to", "origin", "moved.txt");
        assertThat(client.hasContent(key)).isFalse();
        assertThat(served.hasContent(key)).isTrue();

        client.annex("move", "--from", "origin", "moved.txt");
        assertThat(client.hasContent(key)).isTrue();
        assertThat(served.hasContent(key)).isFalse();
        assertThat(served.tryAnnex("whereis", "--key", key).output()).contains("0 copies");
    }

    @Test
    void dropFromRemovesTheServersCopyAndLogsIt() {
        String key = client.add("dropped.txt", "drop me\n".getBytes(StandardCharsets.UTF_8));
        client.annex("copy", "--to", "origin", "dropped.txt");

        client.annex("drop", "--from", "origin", "dropped.txt");

        assertThat(served.hasContent(key)).isFalse();
        assertThat(served.tryAnnex("whereis", "--key", key).output()).contains("0 copies").doesNotContain("served");
    }

    @Test
    void fsckFromAndCheckpresentkeySeeTheServersCopy() {
        String key = client.add("checked.txt", "check me\n".getBytes(StandardCharsets.UTF_8));
        client.annex("copy", "--to", "origin", "checked.txt");

        assertThat(client.tryAnnex("fsck", "--from", "origin", "checked.txt").ok()).isTrue();
        assertThat(client.tryAnnex("checkpresentkey", key, "origin").ok()).isTrue();
        assertThat(client.tryAnnex("checkpresentkey", "SHA256E-s1--" + "0".repeat(64), "origin").ok()).isFalse();
    }

    @Test
    void localDropOfTheClientsOnlyOtherCopyLocksTheServersCopy() {
        // numcopies 2: dropping locally needs the server's copy locked (lockcontent + keeplocked)
        client.annex("numcopies", "1");
        String key = client.add("locked.txt", "lock me\n".getBytes(StandardCharsets.UTF_8));
        client.annex("copy", "--to", "origin", "locked.txt");

        client.annex("drop", "locked.txt");

        assertThat(client.hasContent(key)).isFalse();
        assertThat(served.hasContent(key)).isTrue();
        Path dir = served.dir().resolve(served.annex("contentlocation", key).strip()).getParent();
        assertThat(dir.resolve(dir.getFileName() + ".lck")).as("lock file tidied after unlock").doesNotExist();
    }

    @Test
    void copyToABareRepository() {
        server.close();
        AnnexRepo bare = AnnexRepo.initBare(tmp, "bare.git");
        server = AnnexgateServer.serve(bare.dir(), "--wideopen");
        AnnexRepo c = AnnexRepo.cloneOf(bare, tmp, "client2", server.annexUrl());
        String key = c.add("f.txt", "bare\n".getBytes(StandardCharsets.UTF_8));
        c.git("push", "-q", "origin", "HEAD", "git-annex");

        c.annex("copy", "--to", "origin", "f.txt");

        assertThat(bare.hasContent(key)).isTrue();
        assertThat(Command.ok(bare.dir(), "git", "annex", "contentlocation", key)).contains("annex/objects/");
    }
}
