package io.annexgate.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.Keys;
import io.annexgate.testing.RawApi;
import io.annexgate.testing.ServerProcess;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server killed with SIGKILL in the middle of a put, then started again on the same repository. */
class CrashTest {

    private static final int MIB = 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void aPutCutBySigkillLeavesNothingVisibleAndResumesAfterRestart() throws Exception {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        byte[] content = new byte[8 * MIB];
        new Random(9).nextBytes(content);
        String key = Keys.sha256e(content, ".bin");
        int sentBeforeCrash = 3 * MIB;
        Path staging = served.dir().resolve(".git/annex/tmp").resolve(key);

        try (ServerProcess server = ServerProcess.start(served.dir(), "--wideopen");
                Socket socket = new Socket("127.0.0.1", Integer.parseInt(server.baseUrl().replaceAll(".*:", "")))) {
            new RawApi(server.baseUrl(), served.uuid()).startPut(socket, key, content, sentBeforeCrash);
            await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(staging) && Files.size(staging) == sentBeforeCrash);
            server.kill();
        }

        try (ServerProcess server = ServerProcess.start(served.dir(), "--wideopen")) {
            RawApi api = new RawApi(server.baseUrl(), served.uuid());
            assertThat(api.checkpresent(key).text()).contains("\"present\":false");
            assertThat(objectFiles(served)).noneMatch(p -> p.getFileName().toString().equals(key));
            assertThat(served.tryAnnex("whereis", "--key=" + key).output()).contains("0 copies").doesNotContain(served.uuid());

            RawApi.Response offset = api.post("v4", "putoffset", "key", key, "clientuuid", RawApi.CLIENT);
            assertThat(offset.text()).contains("\"offset\":" + sentBeforeCrash);
            byte[] rest = Arrays.copyOfRange(content, sentBeforeCrash, content.length);
            RawApi.Response put = api.put("v4", key, rest, rest.length, "offset", sentBeforeCrash);
            assertThat(put.text()).contains("\"stored\":true");
            assertThat(api.checkpresent(key).text()).contains("\"present\":true");
        }
        assertThat(served.tryAnnex("fsck", "--key=" + key).ok()).isTrue();
        assertThat(served.annex("whereis", "--key=" + key)).contains(served.uuid());
    }

    private static java.util.List<Path> objectFiles(AnnexRepo repo) throws IOException {
        Path objects = repo.dir().resolve(".git/annex/objects");
        if (!Files.isDirectory(objects)) {
            return java.util.List.of();
        }
        try (Stream<Path> walk = Files.walk(objects)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
