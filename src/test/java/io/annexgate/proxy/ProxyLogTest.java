package io.annexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.protocol.AnnexUuid;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxyLogTest {

    private static final AnnexUuid PROXY = new AnnexUuid("d6c6a645-45e2-4eb9-b6a1-feb5422c7e72");
    private static final AnnexUuid R2 = new AnnexUuid("f4f9d3ce-fb22-46d5-866e-d42a286b15ef");
    private static final AnnexUuid R3 = new AnnexUuid("0badc0de-0000-4000-8000-000000000003");

    @Test
    void theNewestLineOfTheProxyWins() {
        String log = "1795627700s " + PROXY.value() + " " + R2.value() + ":r2 " + R3.value() + ":r3\n"
                + "1795627738.5s " + PROXY.value() + " " + R2.value() + ":r2\n"
                + "1795627799s 00000000-0000-0000-0000-0000000000aa " + R3.value() + ":other\n";
        assertThat(ProxyLog.remotesOf(PROXY, log)).isEqualTo(Map.of(R2, "r2"));
    }

    @Test
    void anEmptyValueMeansNoLongerProxying() {
        String log = "1s " + PROXY.value() + " " + R2.value() + ":r2\n2s " + PROXY.value() + " \n";
        assertThat(ProxyLog.remotesOf(PROXY, log)).isEmpty();
    }

    @Test
    void onlyLocalPathsAreProxied() {
        Path repo = Path.of("/srv/served");
        assertThat(RemoteRoutes.localPath(repo, "../r2")).contains(Path.of("/srv/r2"));
        assertThat(RemoteRoutes.localPath(repo, "/data/r3")).contains(Path.of("/data/r3"));
        assertThat(RemoteRoutes.localPath(repo, "file:///data/r4")).contains(Path.of("/data/r4"));
        assertThat(RemoteRoutes.localPath(repo, "ssh://host/r5")).isEqualTo(Optional.empty());
        assertThat(RemoteRoutes.localPath(repo, "host:r6")).isEmpty();
        assertThat(RemoteRoutes.localPath(repo, "https://example.org/r7.git")).isEmpty();
    }
}
