package io.annexgate.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Keys;
import io.annexgate.testing.RawApi;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that stall: uploads that stop sending, downloads that stop reading, connections that
 * never send a request. None of them keeps other clients from being served, and once they go the
 * server holds nothing for them.
 */
class SlowClientTest {

    private static final int STALLED = 40;
    private static final int IDLE = 300;

    @TempDir
    Path tmp;

    @Test
    void stalledUploadsDownloadsAndIdleConnectionsDoNotStarveOtherClients() throws Exception {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        byte[] big = new byte[32 * 1024 * 1024];
        new Random(1).nextBytes(big);
        String bigKey = Keys.sha256e(big, ".bin");
        served.add("big.bin", big);
        byte[] small = "small\n".getBytes(StandardCharsets.UTF_8);
        String smallKey = served.add("small.txt", small);

        List<Socket> stalled = new ArrayList<>();
        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--wideopen")) {
            RawApi api = new RawApi(server, served.uuid());
            try {
                for (int i = 0; i < STALLED; i++) {
                    // an upload that sends its headers and a little of its body, then nothing
                    byte[] content = ("stalled upload " + i + "\n").repeat(100_000).getBytes(StandardCharsets.UTF_8);
                    Socket put = connect(server);
                    put.getOutputStream().write(("POST " + api.path("v4", "put", RawApi.query("key",
                            Keys.sha256e(content, ".txt"), "clientuuid", RawApi.CLIENT)) + " HTTP/1.1\r\nHost: x\r\n"
                            + "Content-Type: application/octet-stream\r\nX-git-annex-data-length: " + content.length
                            + "\r\nContent-Length: " + content.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    put.getOutputStream().write(content, 0, 1000);
                    put.getOutputStream().flush();
                    stalled.add(put);
                    // a download that never reads what it asked for
                    Socket get = connect(server);
                    get.setReceiveBufferSize(4096);
                    get.getOutputStream().write(("GET " + api.path("v4", "key/" + bigKey, RawApi.query("clientuuid",
                            RawApi.CLIENT)) + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    get.getOutputStream().flush();
                    stalled.add(get);
                }
                for (int i = 0; i < IDLE; i++) {
                    stalled.add(connect(server));
                }
                await().atMost(Duration.ofMinutes(1)).until(() ->
                        AnnexgateServer.sum(server.prometheus(), "annexgate_transfers_in_flight", "") >= 2 * STALLED);

                // everyone else is served as usual meanwhile
                for (int i = 0; i < 20; i++) {
                    assertThat(api.checkpresent(smallKey).text()).contains("\"present\":true");
                    assertThat(api.get("v4", smallKey).body()).isEqualTo(small);
                    byte[] fresh = ("fresh " + i + "\n").getBytes(StandardCharsets.UTF_8);
                    assertThat(api.put("v4", Keys.sha256e(fresh, ".txt"), fresh, fresh.length).text())
                            .contains("\"stored\":true");
                }
                assertThat(api.get("v4", bigKey).body()).isEqualTo(big);
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }
            // once they are gone, nothing is held for them
            await().atMost(Duration.ofMinutes(1)).until(() ->
                    AnnexgateServer.sum(server.prometheus(), "annexgate_transfers_in_flight", "") == 0);
        }
    }

    private static Socket connect(AnnexgateServer server) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoLinger(true, 0);
        return socket;
    }
}
