package io.annexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.FakeSsh;
import io.annexgate.testing.Keys;
import io.annexgate.testing.ProxiedRoundTrip;
import io.annexgate.testing.RawApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A served repository proxying for a git remote reached over ssh ({@code alice@fakehost:r4}, so
 * {@code /~/r4} in the remote account's home), with {@code annexgate.proxy.ssh-command} pointing at
 * a fake ssh that runs the remote command here: the real client through {@code origin-r4}, and raw HTTP.
 */
class ProxiedSshRemoteTest {

    @TempDir
    static Path tmp;

    static FakeSsh ssh;
    static AnnexRepo r4;
    static AnnexRepo served;
    static AnnexgateServer server;
    static AnnexRepo client;
    static RawApi api;

    @BeforeAll
    static void start() {
        ssh = FakeSsh.in(tmp.resolve("bin"), tmp.resolve("home-of-alice"));
        r4 = AnnexRepo.init(ssh.home(), "r4");
        served = AnnexRepo.init(tmp, "served");
        served.add("seed.txt", "seed\n".getBytes(StandardCharsets.UTF_8));
        served.git("remote", "add", "r4", "alice@fakehost:r4");
        served.git("config", "remote.r4.annex-uuid", r4.uuid());
        served.git("config", "remote.r4.annex-proxy", "true");
        served.git("config", "remote.r4.annex-ssh-options", "-o BatchMode=yes");
        served.annex("updateproxy");
        server = AnnexgateServer.serve(served.dir(), "--wideopen", "--annexgate.proxy.ssh-command=" + ssh.script());
        api = new RawApi(server, r4.uuid());
        client = ProxiedRoundTrip.clientOf(served, tmp, server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String servedWhereis(String key) {
        return ProxiedRoundTrip.whereis(served, key);
    }

    @Test
    void theClientCopiesGetsChecksAndDropsThroughSsh() {
        assertThat(client.annex("info", "--fast")).contains(r4.uuid() + " -- origin-r4");
        ProxiedRoundTrip.copyGetAndDrop(client, served, r4, "origin-r4", "over-ssh.bin",
                ProxiedRoundTrip.bytes(300_000, 11));

        // every connection was ssh as git-annex runs it: host, annex-ssh-options, -T, the quoted remote command
        assertThat(ssh.runs()).isNotEmpty().allSatisfy(run -> assertThat(run).containsExactly(
                "alice@fakehost", "-o", "BatchMode=yes", "-T",
                "git-annex-shell 'p2pstdio' '/~/r4' '" + served.uuid() + "' --uuid " + r4.uuid()));
    }

    @Test
    void rawPutGetWithOffsetAndRemoveOnTheSshRemotesUuid() {
        byte[] content = ProxiedRoundTrip.bytes(100_000, 12);
        String key = Keys.sha256e(content, ".bin");
        RawApi.Response put = api.put("v4", key, content, content.length);
        assertThat(put.text()).contains("\"stored\":true");
        assertThat(r4.hasContent(key)).isTrue();
        assertThat(servedWhereis(key)).contains(r4.uuid());
        RawApi.Response tail = api.get("v3", key, "offset", 99_000);
        assertThat(tail.header("X-git-annex-data-length")).isEqualTo("1000");
        assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 99_000, content.length));
        assertThat(api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text())
                .contains("\"removed\":true");
        assertThat(r4.hasContent(key)).isFalse();
        assertThat(servedWhereis(key)).doesNotContain(r4.uuid());
    }

    @Test
    void gitAnnexTestremotePassesAgainstTheSshRemote() {
        ProxiedRoundTrip.testremote(client, "origin-r4");
    }

}
