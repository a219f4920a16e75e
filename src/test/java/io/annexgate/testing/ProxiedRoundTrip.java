package io.annexgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Random;

/**
 * The real client's round trip through a remote the served repository proxies for, whatever way
 * the proxy reaches it: copy to it, check it, get it back, drop it there; and where it all lands
 * (the remote's object store, the served repository's location log).
 */
public final class ProxiedRoundTrip {

    private ProxiedRoundTrip() {
    }

    /**
     * A clone of {@code served} named {@code client} below {@code parent}, reaching it through
     * {@code server}, that has pulled the git-annex branch, so it sees the remotes and clusters the
     * served repository proxies for (as {@code origin-NAME}).
     */
    public static AnnexRepo clientOf(AnnexRepo served, java.nio.file.Path parent, AnnexgateServer server) {
        AnnexRepo client = AnnexRepo.cloneOf(served, parent, "client", server.annexUrl());
        client.annex("sync", "--no-content", "-q");
        return client;
    }

    /** {@code n} random bytes, the same for the same seed. */
    public static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** What the served repository's location log says (whereis fails, but still answers, for no copies). */
    public static String whereis(AnnexRepo served, String key) {
        return served.tryAnnex("whereis", "--key", key).output();
    }

    /**
     * git-annex's own suite for a remote, {@code git annex testremote --fast} with 200 KiB keys,
     * run by {@code client} against {@code remoteName}: it must report every test passed.
     */
    public static void testremote(AnnexRepo client, String remoteName) {
        Command.Result result = client.tryAnnex("testremote", remoteName, "--fast", "--size=200KiB");
        assertThat(result.output()).contains("tests passed").doesNotContain("FAIL");
        assertThat(result.ok()).as(result.output()).isTrue();
    }

    /**
     * Adds {@code file} to {@code client}, then copies it to, checks it on, gets it back from and
     * drops it from {@code remoteName} (the client's name for the proxied remote {@code remote}).
     */
    public static void copyGetAndDrop(AnnexRepo client, AnnexRepo served, AnnexRepo remote, String remoteName,
            String file, byte[] content) {
        String key = client.add(file, content);
        client.annex("copy", "--to", remoteName, file);
        assertThat(remote.hasContent(key)).isTrue();
        assertThat(served.hasContent(key)).isFalse();
        assertThat(whereis(served, key)).contains(remote.uuid());
        assertThat(client.tryAnnex("checkpresentkey", key, remoteName).ok()).isTrue();

        client.annex("drop", "--force", file);
        client.annex("get", "--from", remoteName, file);
        try {
            assertThat(Files.readAllBytes(client.dir().resolve(file))).isEqualTo(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        client.annex("drop", "--from", remoteName, file);
        assertThat(remote.hasContent(key)).isFalse();
        assertThat(whereis(served, key)).doesNotContain(remote.uuid());
        assertThat(client.tryAnnex("checkpresentkey", key, remoteName).ok()).isFalse();
    }
}
