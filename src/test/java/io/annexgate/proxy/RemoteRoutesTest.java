package io.annexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.proxy.http.P2pHttpUrl;
import io.annexgate.proxy.p2p.ShellTransport;
import io.annexgate.proxy.p2p.SshCommand;
import io.annexgate.proxy.p2p.SshLocation;
import io.annexgate.proxy.p2p.SshTransport;
import io.annexgate.proxy.special.ExportedTrees;
import io.annexgate.proxy.special.S3Remotes;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;
import org.junit.jupiter.api.Test;

/** Which way a proxied git remote is reached, from its git config as git-annex reads it. */
class RemoteRoutesTest {

    private static final Path REPO = Path.of("/srv/served");
    private static final AnnexUuid UUID = new AnnexUuid("0badc0de-0000-4000-8000-000000000033");
    private static final RemoteRoutes ROUTES = new RemoteRoutes(SshCommand.DEFAULT, new S3Remotes(Map.of()),
            new ExportedTrees(1024));

    private static RemoteRoute route(String gitConfig) throws ConfigInvalidException {
        Config config = new Config();
        config.fromText(gitConfig);
        return ROUTES.ofGitRemote(REPO, "r", UUID, config.getString("remote", "r", "url"), config);
    }

    private static URI httpBase(RemoteRoute route) {
        assertThat(route).isInstanceOf(RemoteRoute.OverHttp.class);
        return ((RemoteRoute.OverHttp) route).url().base();
    }

    private static SshTransport ssh(RemoteRoute route) {
        assertThat(route).isInstanceOf(RemoteRoute.OverP2P.class);
        return (SshTransport) ((RemoteRoute.OverP2P) route).transport();
    }

    @Test
    void anAnnexHttpUrlOrAnnexUrlIsReachedOverHttp() throws Exception {
        assertThat(httpBase(route("[remote \"r\"]\n\turl = annex+http://10.0.0.5:9999/git-annex/\n")))
                .isEqualTo(URI.create("http://10.0.0.5:9999"));
        assertThat(httpBase(route("[remote \"r\"]\n\turl = ../r\n\tannexUrl = annex+https://h.example/git-annex/\n")))
                .isEqualTo(URI.create("https://h.example:9417"));
        assertThat(httpBase(route("[remote \"r\"]\n\turl = https://h.example/r.git\n"
                + "[url \"annex+http://h.example/\"]\n\tannexInsteadOf = https://h.example/\n")))
                .isEqualTo(URI.create("http://h.example:9417/r.git"));
    }

    @Test
    void aNonHttpAnnexUrlReplacesTheUrlForGitAnnex() throws Exception {
        assertThat(ssh(route("[remote \"r\"]\n\turl = https://h.example/r.git\n\tannexurl = h.example:r\n"))
                .location()).isEqualTo(new SshLocation("h.example", OptionalInt.empty(), "/~/r"));
    }

    @Test
    void sshRemotesTakeTheirOptionsAndShellFromTheRemoteElseFromAnnex() throws Exception {
        SshTransport own = ssh(route("[remote \"r\"]\n\turl = ssh://alice@h.example:2222/srv/r\n"
                + "\tannex-ssh-options = -o  BatchMode=yes\n\tannex-shell = /opt/git-annex-shell\n"
                + "[annex]\n\tssh-options = -4\n\tshell = other\n"));
        assertThat(own.location()).isEqualTo(new SshLocation("alice@h.example", OptionalInt.of(2222), "/srv/r"));
        assertThat(own.sshOptions()).containsExactly("-o", "BatchMode=yes");
        assertThat(own.annexShell()).isEqualTo("/opt/git-annex-shell");
        assertThat(own.remoteUuid()).isEqualTo(UUID);
        assertThat(own.workingDirectory()).isEqualTo(REPO);
        SshTransport inherited = ssh(route("[remote \"r\"]\n\turl = h.example:r\n[annex]\n\tssh-options = -4\n"));
        assertThat(inherited.sshOptions()).containsExactly("-4");
        assertThat(inherited.annexShell()).isEqualTo("git-annex-shell");
    }

    @Test
    void insteadOfIsAppliedFirstLongestMatchWinning() throws Exception {
        assertThat(ssh(route("[remote \"r\"]\n\turl = work:proj/r\n"
                + "[url \"ssh://git@h.example/srv/\"]\n\tinsteadOf = work:\n"
                + "[url \"ssh://git@other.example\"]\n\tinsteadOf = work:proj\n")).location())
                .isEqualTo(new SshLocation("git@other.example", OptionalInt.empty(), "/r"));
    }

    @Test
    void localPathsStayLocalAndOtherUrlsAreUnreachable() throws Exception {
        RemoteRoute local = route("[remote \"r\"]\n\turl = ../r2\n");
        assertThat(local).isInstanceOf(RemoteRoute.OverP2P.class);
        assertThat(((RemoteRoute.OverP2P) local).transport()).isInstanceOf(ShellTransport.class);
        assertThat(route("[remote \"r\"]\n\turl = https://example.org/r.git\n"))
                .isEqualTo(new RemoteRoute.Unreachable("cannot proxy for remote r: only remotes at a local path, over "
                        + "ssh or at an annex+http url are proxied (url https://example.org/r.git)"));
        assertThat(route("[remote \"r\"]\n\turl = https://bob:secret@example.org/r.git\n")).isInstanceOfSatisfying(
                RemoteRoute.Unreachable.class, u -> assertThat(u.reason()).endsWith("(url https://example.org/r.git)"));
        assertThat(route("[remote \"r\"]\n\turl = -oProxyCommand=evil:r\n")).isInstanceOfSatisfying(
                RemoteRoute.Unreachable.class, u -> assertThat(u.reason()).contains("rejecting ssh hostname"));
        assertThat(P2pHttpUrl.parse("annex+http://")).isEmpty();
        assertThat(route("[remote \"r\"]\n\turl = annex+http://\n")).isInstanceOf(RemoteRoute.Unreachable.class);
        assertThat(RemoteRoutes.localPath(REPO, "h.example:r")).isEmpty();
    }
}
