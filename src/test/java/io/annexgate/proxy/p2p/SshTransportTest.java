package io.annexgate.proxy.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import io.annexgate.service.PutOutcome;
import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.FakeSsh;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote urls to ssh command lines as git-annex makes them, and the P2P protocol through a fake ssh. */
class SshTransportTest {

    private static final AnnexUuid CLIENT = new AnnexUuid("5e1f0000-aaaa-bbbb-cccc-000000000002");
    private static final AnnexUuid REMOTE = new AnnexUuid("0badc0de-0000-4000-8000-000000000022");
    private static final String SHELL = "git-annex-shell 'p2pstdio' '%s' '" + CLIENT.value() + "' --uuid " + REMOTE.value();
    private static final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @TempDir
    static Path tmp;

    @AfterAll
    static void stop() {
        scheduler.shutdownNow();
    }

    private static SshLocation at(String url) {
        return SshLocation.parse(url).orElseThrow();
    }

    private static List<String> command(String url, SshCommand ssh, List<String> options, String shell) {
        return new SshTransport(at(url), REMOTE, ssh, options, shell, tmp).command(CLIENT);
    }

    private static List<String> command(String url) {
        return command(url, SshCommand.DEFAULT, List.of(), "git-annex-shell");
    }

    @Test
    void sshUrlsGiveHostPortAndPathAsTheyAre() {
        assertThat(command("ssh://alice@example.org:2222/srv/annex/repo.git")).containsExactly(
                "ssh", "alice@example.org", "-p", "2222", "-T", SHELL.formatted("/srv/annex/repo.git"));
        assertThat(command("ssh://example.org/~/repo")).containsExactly(
                "ssh", "example.org", "-T", SHELL.formatted("/~/repo"));
        assertThat(command("git+ssh://example.org/~bob/repo")).containsExactly(
                "ssh", "example.org", "-T", SHELL.formatted("/~bob/repo"));
        assertThat(command("ssh+git://example.org:22/r")).containsExactly(
                "ssh", "example.org", "-p", "22", "-T", SHELL.formatted("/r"));
        assertThat(at("ssh://[2001:db8::1]:2200/r")).isEqualTo(new SshLocation("2001:db8::1", OptionalInt.of(2200), "/r"));
        assertThat(at("ssh://b%6Fb@host/a%20b")).isEqualTo(new SshLocation("bob@host", OptionalInt.empty(), "/a b"));
    }

    @Test
    void scpStyleLocationsAreRelativeToTheHomeDirectoryUnlessAbsolute() {
        assertThat(command("example.org:repo")).containsExactly("ssh", "example.org", "-T", SHELL.formatted("/~/repo"));
        assertThat(command("alice@example.org:/srv/repo")).containsExactly(
                "ssh", "alice@example.org", "-T", SHELL.formatted("/srv/repo"));
        assertThat(command("example.org:~bob/repo")).containsExactly("ssh", "example.org", "-T", SHELL.formatted("/~bob/repo"));
        assertThat(command("example.org:")).containsExactly("ssh", "example.org", "-T", SHELL.formatted("/~/"));
        assertThat(at("[::1]:repo")).isEqualTo(new SshLocation("::1", OptionalInt.empty(), "/~/repo"));
        // no URI: git-annex escapes, then unescapes, so a %20 stays
        assertThat(at("host:my repo%20x")).isEqualTo(new SshLocation("host", OptionalInt.empty(), "/~/my repo%20x"));
    }

    @Test
    void otherUrlsAreNotSshAndAnOptionLikeHostIsRefused() {
        assertThat(SshLocation.parse("https://example.org/repo.git")).isEmpty();
        assertThat(SshLocation.parse("annex+http://example.org/git-annex/")).isEmpty();
        assertThat(SshLocation.parse("file:///srv/repo")).isEmpty();
        assertThat(SshLocation.parse("../repo")).isEmpty();
        assertThat(SshLocation.parse("foo::bar")).isEmpty();
        assertThatThrownBy(() -> SshLocation.parse("-oProxyCommand=touch /tmp/x:repo"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rejecting ssh hostname");
    }

    @Test
    void theRemoteCommandIsQuotedAsGitAnnexQuotesIt() {
        assertThat(command("ssh://host/it's here").getLast())
                .isEqualTo(SHELL.formatted("/it'\"'\"'s here"));
        assertThat(command("host:repo", SshCommand.DEFAULT, List.of(), "/opt/bin/git-annex-shell --debug").getLast())
                .startsWith("/opt/bin/git-annex-shell --debug 'p2pstdio' '/~/repo' ");
    }

    @Test
    void annexSshOptionsGoAfterTheHostAndBeforeThePort() {
        assertThat(command("ssh://alice@host:2222/r", SshCommand.DEFAULT, List.of("-o", "BatchMode=yes", "-i", "/k"),
                "git-annex-shell")).containsExactly("ssh", "alice@host", "-o", "BatchMode=yes", "-i", "/k",
                "-p", "2222", "-T", SHELL.formatted("/r"));
        SshCommand program = SshCommand.of("/usr/local/bin/ssh -F /etc/annexgate/ssh_config", n -> null);
        assertThat(command("host:r", program, List.of("-4"), "git-annex-shell")).containsExactly("sh", "-c",
                "/usr/local/bin/ssh -F /etc/annexgate/ssh_config 'host' '-4' '-T' '"
                        + SHELL.formatted("/~/r").replace("'", "'\"'\"'") + "'");
    }

    @Test
    void gitSshVariablesReplaceSshOnlyWhenGitAnnexIsToldToUseThem() {
        Map<String, String> env = Map.of("GIT_SSH_COMMAND", "ssh -v", "GIT_SSH", "/usr/bin/plink");
        assertThat(SshCommand.of("ssh", env::get)).isEqualTo(SshCommand.DEFAULT);
        Map<String, String> use = Map.of("GIT_ANNEX_USE_GIT_SSH", "1", "GIT_SSH_COMMAND", "ssh -v",
                "GIT_SSH", "/usr/bin/plink");
        // git's parameters only: no annex-ssh-options, no -T
        assertThat(command("ssh://host:2222/r", SshCommand.of("ssh", use::get), List.of("-4"), "git-annex-shell"))
                .containsExactly("sh", "-c", "ssh -v 'host' '-p' '2222' '"
                        + SHELL.formatted("/r").replace("'", "'\"'\"'") + "'");
        Map<String, String> plink = Map.of("GIT_ANNEX_USE_GIT_SSH", "1", "GIT_SSH", "/usr/bin/plink");
        assertThat(command("ssh://host:2222/r", SshCommand.of("ssh", plink::get), List.of("-4"), "git-annex-shell"))
                .containsExactly("/usr/bin/plink", "host", "-p", "2222", SHELL.formatted("/r"));
    }

    @Test
    void theP2PProtocolRunsThroughTheSshProgram() throws Exception {
        FakeSsh fake = FakeSsh.in(tmp.resolve("bin"), tmp.resolve("home"));
        AnnexRepo repo = AnnexRepo.init(fake.home(), "remote");
        AnnexUuid uuid = new AnnexUuid(repo.uuid());
        byte[] content = "over a fake ssh\n".getBytes(StandardCharsets.UTF_8);
        Key key = Key.parse(repo.add("a.txt", content));

        SshTransport transport = new SshTransport(at("alice@fakehost:remote"), uuid,
                SshCommand.of(fake.script().toString(), n -> null), List.of("-o", "BatchMode=yes"), "git-annex-shell", tmp);
        try (P2PConnection c = P2PConnection.open(transport.open(CLIENT), CLIENT, uuid, 4, Set.of(),
                Duration.ofSeconds(60), scheduler)) {
            assertThat(c.checkPresent(key)).isTrue();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(c.get(key, 0, out).validity()).isEqualTo(Validity.VALID);
            assertThat(out.toByteArray()).isEqualTo(content);
            byte[] more = "stored over ssh\n".getBytes(StandardCharsets.UTF_8);
            Key moreKey = Key.parse(io.annexgate.testing.Keys.sha256e(more, ".txt"));
            assertThat(c.put(moreKey, 0, new ByteArrayInputStream(more), more.length)).isInstanceOf(PutOutcome.Stored.class);
            assertThat(repo.hasContent(moreKey.serialize())).isTrue();
        }
        assertThat(fake.runs()).containsExactly(List.of("alice@fakehost", "-o", "BatchMode=yes", "-T",
                "git-annex-shell 'p2pstdio' '/~/remote' '" + CLIENT.value() + "' --uuid " + uuid.value()));

        // GIT_SSH_COMMAND with white space runs through sh -c, as git runs it
        SshCommand gitSsh = SshCommand.of("ssh", Map.of("GIT_ANNEX_USE_GIT_SSH", "1",
                "GIT_SSH_COMMAND", fake.script() + " -o ConnectTimeout=5")::get);
        SshTransport viaGit = new SshTransport(at("ssh://fakehost:2222/~/remote"), uuid, gitSsh, List.of("-4"),
                "git-annex-shell", tmp);
        try (P2PConnection c = P2PConnection.open(viaGit.open(CLIENT), CLIENT, uuid, 3, Set.of(),
                Duration.ofSeconds(60), scheduler)) {
            assertThat(c.checkPresent(key)).isTrue();
        }
        assertThat(fake.runs().getLast()).containsExactly("-o", "ConnectTimeout=5", "fakehost", "-p", "2222",
                "git-annex-shell 'p2pstdio' '/~/remote' '" + CLIENT.value() + "' --uuid " + uuid.value());
    }

    @Test
    void aRemoteWithAnotherUuidIsRefused() {
        FakeSsh fake = FakeSsh.in(tmp.resolve("bin2"), tmp.resolve("home2"));
        AnnexRepo.init(fake.home(), "other");
        SshTransport transport = new SshTransport(at("fakehost:other"), REMOTE,
                SshCommand.of(fake.script().toString(), n -> null), List.of(), "git-annex-shell", tmp);
        assertThatThrownBy(() -> P2PConnection.open(transport.open(CLIENT), CLIENT, REMOTE, 4, Set.of(),
                Duration.ofSeconds(60), scheduler)).hasMessageContaining("expected repository UUID");
        assertThat(Optional.of(fake.runs().size())).contains(1);
    }
}
