package io.annexgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Keys;
import io.annexgate.testing.ProxiedRoundTrip;
import io.annexgate.testing.RawApi;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --jobs=1} bounds what a served repository transfers for the remotes and clusters it
 * serves as it bounds its own transfers: a put to a proxied git remote, to a proxied special remote
 * or to a cluster (one slot for all its nodes), and a get from a proxied remote until its body is
 * sent, wait for the repository's slot in turn. Waits are seen on
 * {@code annexgate_transfer_slot_waiting}, never by timing; and a request waiting for a slot or a
 * proxy connection outlives the HTTP idle timeout.
 */
class ProxiedJobsTest {

    @TempDir
    static Path tmp;

    static AnnexRepo served;
    static AnnexRepo r2;
    static AnnexRepo n1;
    static AnnexRepo n2;
    static String directoryRemote;
    static String cluster;
    static String bigKey;
    static AnnexgateServer server;

    @BeforeAll
    static void start() throws IOException {
        r2 = AnnexRepo.init(tmp, "r2");
        bigKey = r2.add("big.bin", ProxiedRoundTrip.bytes(32 * 1024 * 1024, 31));
        n1 = AnnexRepo.init(tmp, "n1");
        n2 = AnnexRepo.init(tmp, "n2");
        served = AnnexRepo.init(tmp, "served");
        served.add("seed.txt", "seed\n".getBytes(StandardCharsets.UTF_8));
        for (String remote : List.of("r2", "n1", "n2")) {
            served.git("remote", "add", remote, "../" + remote);
        }
        served.git("config", "remote.r2.annex-proxy", "true");
        served.tryAnnex("sync", "--no-content", "-q");
        Path store = Files.createDirectories(tmp.resolve("store"));
        served.annex("initremote", "d", "type=directory", "directory=" + store, "encryption=none");
        served.git("config", "remote.d.annex-proxy", "true");
        directoryRemote = served.git("config", "remote.d.annex-uuid").strip();
        served.annex("initcluster", "bunch");
        for (String node : List.of("n1", "n2")) {
            served.git("config", "remote." + node + ".annex-cluster-node", "bunch");
        }
        served.annex("updatecluster");
        served.annex("updateproxy");
        cluster = served.git("config", "annex.cluster.bunch").strip();
        server = AnnexgateServer.serve(served.dir(), "--wideopen", "--jobs=1", "--clusterjobs=2");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static double slotsWaiting(AnnexgateServer server) {
        return server.bean(MeterRegistry.class).get("annexgate.transfer.slot.waiting").tag("slots", "jobs").gauge().value();
    }

    static double uploadsInFlight(AnnexgateServer server) {
        return server.bean(MeterRegistry.class).get("annexgate.transfers.in.flight").tag("direction", "upload").gauge()
                .value();
    }

    /** A put to the served repository that sends half its body and holds its slot until {@link #finish}. */
    record HeldUpload(Socket socket, byte[] content) {

        static HeldUpload start(AnnexgateServer server, String uuid, String name) throws IOException {
            byte[] content = (name + "\n").getBytes(StandardCharsets.UTF_8);
            Socket socket = new Socket("127.0.0.1", server.port());
            OutputStream out = socket.getOutputStream();
            String path = new RawApi(server, uuid).path("v4", "put",
                    RawApi.query("key", Keys.sha256e(content, ".txt"), "clientuuid", RawApi.CLIENT));
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "X-git-annex-data-length: " + content.length + "\r\nContent-Length: " + content.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(Arrays.copyOf(content, content.length / 2));
            out.flush();
            return new HeldUpload(socket, content);
        }

        /** Sends the rest; answers the server's reply. */
        String finish() throws IOException {
            try (socket) {
                socket.getOutputStream().write(Arrays.copyOfRange(content, content.length / 2, content.length));
                socket.getOutputStream().flush();
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"r2", "d", "bunch"})
    void aPutToAProxiedRemoteOrClusterWaitsForTheServingRepositorysSlot(String target) throws Exception {
        String uuid = switch (target) {
            case "r2" -> r2.uuid();
            case "d" -> directoryRemote;
            default -> cluster;
        };
        RawApi api = new RawApi(server, uuid);
        byte[] content = ProxiedRoundTrip.bytes(50_000, target.hashCode());
        String key = Keys.sha256e(content, ".bin");

        HeldUpload held = HeldUpload.start(server, served.uuid(), "holds the slot for " + target);
        await().atMost(Duration.ofSeconds(10)).until(() -> uploadsInFlight(server) == 1);
        CompletableFuture<RawApi.Response> put = CompletableFuture.supplyAsync(
                () -> api.put("v4", key, content, content.length));
        await().atMost(Duration.ofSeconds(10)).until(() -> slotsWaiting(server) == 1);
        assertThat(put).isNotDone();

        assertThat(held.finish()).contains("\"stored\":true");
        assertThat(put.get().text()).contains("\"stored\":true");
        assertThat(api.checkpresent(key).text()).isEqualTo("{\"present\":true}");
        if (target.equals("bunch")) {
            assertThat(n1.hasContent(key)).isTrue();
            assertThat(n2.hasContent(key)).isTrue();
        }
        assertThat(slotsWaiting(server)).isZero();
    }

    @Test
    void aGetFromAProxiedRemoteHoldsTheSlotUntilItsBodyIsSent() throws Exception {
        RawApi api = new RawApi(server, r2.uuid());
        try (Socket reader = new Socket("127.0.0.1", server.port())) {
            // 32 MiB that this client does not read yet: the server's writes stall with the slot held
            reader.getOutputStream().write(("GET " + api.path("v4", "key/" + bigKey, RawApi.query("clientuuid", RawApi.CLIENT))
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            reader.getOutputStream().flush();
            InputStream in = reader.getInputStream();
            assertThat(in.read()).as("the answer has begun").isEqualTo('H');
            byte[] content = "a put after a get\n".getBytes(StandardCharsets.UTF_8);
            CompletableFuture<RawApi.Response> put = CompletableFuture.supplyAsync(
                    () -> new RawApi(server, served.uuid()).put("v4", Keys.sha256e(content, ".txt"), content, content.length));
            await().atMost(Duration.ofSeconds(10)).until(() -> slotsWaiting(server) == 1);
            assertThat(put).isNotDone();
            long rest = in.transferTo(OutputStream.nullOutputStream());
            assertThat(rest).isGreaterThan(32L * 1024 * 1024);
            assertThat(put.get().text()).contains("\"stored\":true");
        }
    }

    /**
     * A short HTTP idle timeout, one job and one connection to r2, which a lock holds: a put to r2
     * takes the job slot and waits for the connection, a put to the served repository waits for the
     * slot; both have nothing to read or write while they wait, and both outlive the idle timeout,
     * as an idle connection opened after them, closed by the server, shows.
     */
    @Test
    void requestsWaitingForASlotOrAProxyConnectionOutliveTheIdleTimeout() throws Exception {
        try (AnnexgateServer strict = AnnexgateServer.serve(served.dir(), "--wideopen", "--jobs=1",
                "--annexgate.proxy.max-connections=1", "--server.jetty.connection-idle-timeout=1s")) {
            RawApi toR2 = new RawApi(strict, r2.uuid());
            MeterRegistry meters = strict.bean(MeterRegistry.class);
            String lock = toR2.post("v4", "lockcontent", "key", bigKey, "clientuuid", RawApi.CLIENT).lockId();

            byte[] proxied = "to r2 after the lock\n".getBytes(StandardCharsets.UTF_8);
            CompletableFuture<RawApi.Response> toRemote = CompletableFuture.supplyAsync(
                    () -> toR2.put("v4", Keys.sha256e(proxied, ".txt"), proxied, proxied.length));
            await().atMost(Duration.ofSeconds(10)).until(() -> meters.get("annexgate.proxy.connections.waiting")
                    .tag("remote", r2.uuid()).gauge().value() == 1);
            byte[] local = "to the served repository\n".getBytes(StandardCharsets.UTF_8);
            CompletableFuture<RawApi.Response> toServed = CompletableFuture.supplyAsync(
                    () -> new RawApi(strict, served.uuid()).put("v4", Keys.sha256e(local, ".txt"), local, local.length));
            await().atMost(Duration.ofSeconds(10)).until(() -> slotsWaiting(strict) == 1);

            try (Socket idle = new Socket("127.0.0.1", strict.port())) {
                idle.setSoTimeout(60_000);
                assertThat(idle.getInputStream().read()).as("closed by the idle timeout").isEqualTo(-1);
            }
            assertThat(toRemote).isNotDone();
            assertThat(toServed).isNotDone();

            // a client of its own: the idle timeout has closed the connections of the others
            assertThat(new RawApi(strict, r2.uuid()).keepLocked(lock, () -> new ByteArrayInputStream("{\"unlock\":true}\n"
                    .getBytes(StandardCharsets.UTF_8))).get().statusCode()).isEqualTo(200);
            assertThat(toRemote.get().text()).contains("\"stored\":true");
            assertThat(toServed.get().text()).contains("\"stored\":true");
        }
    }
}
