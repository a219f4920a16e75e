package io.annexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import io.annexgate.proxy.special.DirectoryExportRemote;
import io.annexgate.proxy.special.DirectoryRemote;
import io.annexgate.proxy.p2p.SshCommand;
import io.annexgate.proxy.special.ExportedTrees;
import io.annexgate.proxy.special.S3Remotes;
import io.annexgate.repository.AnnexRepository;
import io.annexgate.repository.LocationLog;
import io.annexgate.service.ServedState;
import io.annexgate.service.TransferSlots;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Config;
import org.junit.jupiter.api.Test;

/** Which proxied special remotes Annexgate stores to itself, and which go through git-annex-shell. */
class SpecialRemoteRoutesTest {

    private static final AnnexUuid SERVED = new AnnexUuid("c3a70276-5d57-44aa-9e36-22af693d7ba5");
    private static final AnnexUuid D = new AnnexUuid("6be8fe95-66d6-4b14-bffd-1a929c7115cd");
    private static final Path REPO = Path.of("/srv/served");

    private static final ServedState STATE = new ServedState(
            new AnnexRepository(REPO, REPO.resolve(".git"), false, SERVED, 2, false, 2, false, 1000),
            path -> Optional.empty(),
            new LocationLog() {
                @Override
                public void record(Key key, AnnexUuid uuid, boolean present) {
                }

                @Override
                public boolean says(Key key, AnnexUuid uuid) {
                    return false;
                }
            }, TransferSlots.unbounded());

    /** No S3 credentials anywhere: the S3 remotes these tests do not have would not be stored natively. */
    private static final RemoteRoutes ROUTES = new RemoteRoutes(SshCommand.DEFAULT, new S3Remotes(Map.of()),
            new ExportedTrees(1024));

    private static RemoteRoute route(Map<String, String> remoteLog, String... gitConfig) {
        Config config = new Config();
        for (int i = 0; i < gitConfig.length; i += 2) {
            config.setString("remote", "d", gitConfig[i], gitConfig[i + 1]);
        }
        return ROUTES.ofSpecialRemote(STATE, "d", D, remoteLog, config, path -> Optional.empty());
    }

    private static Map<String, String> directory(String... more) {
        Map<String, String> log = new HashMap<>(Map.of("type", "directory", "encryption", "none", "name", "d"));
        for (int i = 0; i < more.length; i += 2) {
            log.put(more[i], more[i + 1]);
        }
        return log;
    }

    @Test
    void aPlainDirectoryRemoteIsStoredNativelyInItsConfiguredDirectory() {
        RemoteRoute route = route(directory(), "annex-directory", "/data/store");
        assertThat(route).isInstanceOf(RemoteRoute.ToSpecialRemote.class);
        DirectoryRemote remote = (DirectoryRemote) ((RemoteRoute.ToSpecialRemote) route).remote();
        assertThat(remote.directory()).isEqualTo(Path.of("/data/store"));
        RemoteRoute relative = route(directory(), "annex-directory", "../store");
        assertThat(((DirectoryRemote) ((RemoteRoute.ToSpecialRemote) relative).remote()).directory())
                .isEqualTo(Path.of("/srv/store"));
    }

    @Test
    void anExportWithAnnexobjectsAndATrackingBranchIsStoredNatively() {
        RemoteRoute route = route(directory("exporttree", "yes", "annexobjects", "yes"),
                "annex-directory", "/data/export", "annex-tracking-branch", "main");
        assertThat(route).isInstanceOf(RemoteRoute.ToSpecialRemote.class);
        assertThat(((RemoteRoute.ToSpecialRemote) route).remote()).isInstanceOf(DirectoryExportRemote.class);
    }

    @Test
    void directoryRemotesAnnexgateCannotStoreKeepTheGitAnnexShellRoute() {
        String[] dir = {"annex-directory", "/data/store"};
        assertThat(route(directory("encryption", "shared", "cipher", "xyz"), dir)).isInstanceOf(RemoteRoute.OverP2P.class);
        assertThat(route(directory("chunk", "1MiB"), dir)).isInstanceOf(RemoteRoute.OverP2P.class);
        assertThat(route(directory("chunksize", "1000000"), dir)).isInstanceOf(RemoteRoute.OverP2P.class);
        assertThat(route(directory("importtree", "yes"), dir)).isInstanceOf(RemoteRoute.OverP2P.class);
        assertThat(route(directory("somenewoption", "1"), dir)).isInstanceOf(RemoteRoute.OverP2P.class);
        assertThat(route(directory("exporttree", "yes"), "annex-directory", "/data/store", "annex-tracking-branch",
                "main")).isInstanceOf(RemoteRoute.OverP2P.class);
        assertThat(route(directory("exporttree", "yes", "annexobjects", "yes"), dir))
                .isInstanceOf(RemoteRoute.OverP2P.class);
        assertThat(route(directory())).isInstanceOf(RemoteRoute.OverP2P.class);
        assertThat(route(directory(), "annex-directory", "/data/store", "annex-readonly", "true"))
                .isInstanceOf(RemoteRoute.OverP2P.class);
        Map<String, String> noEncryptionField = directory();
        noEncryptionField.remove("encryption");
        assertThat(route(noEncryptionField, dir)).isInstanceOf(RemoteRoute.OverP2P.class);
        assertThat(route(Map.of("type", "rsync", "encryption", "none"), dir)).isInstanceOf(RemoteRoute.OverP2P.class);
        assertThat(route(Map.of(), dir)).isInstanceOf(RemoteRoute.OverP2P.class);
    }
}
