package io.annexgate.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Keys;
import io.annexgate.testing.RawApi;
import io.annexgate.testing.RawHttp;
import io.annexgate.testing.ServerProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.jetty.JettyWebServer;

/**
 * The server stopped with a real SIGTERM, in a process of its own, while clients are in the middle
 * of things: an upload in flight finishes within the grace (or, past it, fails cleanly and resumes
 * after a restart), a held lock's keeplocked poll ends at once while its retention keeps the
 * content from being removed after the restart, and the journal is committed before the exit.
 */
class ShutdownTest {

    private static final int MIB = 1024 * 1024;
    private static final int SENT_BEFORE_SIGTERM = 3 * MIB;
    private static final Duration EXIT = Duration.ofMinutes(2);

    @TempDir
    Path tmp;

    @Test
    void anUploadInFlightAtSigtermCompletesWithinTheGraceAndTheProcessExitsZero() throws Exception {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        byte[] content = randomContent(8 * MIB);
        String key = Keys.sha256e(content, ".bin");

        try (ServerProcess server = ServerProcess.start(served.dir(), "--wideopen");
                Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = startPut(server, served, socket, key, content);
            server.sendTerminate();
            // the server stops accepting and reports not ready, while the upload goes on
            await().atMost(Duration.ofMinutes(1)).until(() -> !server.acceptsConnections());
            await().atMost(Duration.ofMinutes(1)).until(() -> server.readinessStatus() != 200);
            assertThat(server.isAlive()).isTrue();

            out.write(content, SENT_BEFORE_SIGTERM, content.length - SENT_BEFORE_SIGTERM);
            out.flush();
            assertThat(RawHttp.responseOn(socket.getInputStream())).startsWith("HTTP/1.1 200")
                    .endsWith("\"stored\":true}");
            assertThat(server.awaitExit(EXIT)).as("exit status; output:%n%s", server.output()).isZero();
        }
        assertJournalCommitted(served, key);

        try (ServerProcess server = ServerProcess.start(served.dir(), "--wideopen")) {
            assertThat(new RawApi(server.baseUrl(), served.uuid()).checkpresent(key).text()).contains("\"present\":true");
        }
        assertThat(served.tryAnnex("fsck", "--key=" + key).ok()).isTrue();
    }

    @Test
    void anUploadStillGoingWhenTheGraceEndsFailsCleanlyAndResumesAfterRestart() throws Exception {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        byte[] content = randomContent(8 * MIB);
        String key = Keys.sha256e(content, ".bin");

        try (ServerProcess server = ServerProcess.start(served.dir(), "--wideopen", "--annexgate.shutdown-grace=1s");
                Socket socket = new Socket("127.0.0.1", server.port())) {
            startPut(server, served, socket, key, content);
            socket.setSoTimeout((int) EXIT.toMillis());
            server.sendTerminate();
            // the rest of the body never comes: the grace ends, the connection with it
            String answer;
            try {
                answer = RawHttp.responseOn(socket.getInputStream());
            } catch (IOException e) {
                answer = e.toString();
            }
            assertThat(answer).doesNotContain("\"stored\":true");
            assertThat(server.awaitExit(EXIT)).as("exit status; output:%n%s", server.output()).isZero();
        }
        assertThat(objectDirectoryFiles(served)).noneMatch(p -> p.getFileName().toString().equals(key));

        try (ServerProcess server = ServerProcess.start(served.dir(), "--wideopen")) {
            RawApi api = new RawApi(server.baseUrl(), served.uuid());
            assertThat(api.checkpresent(key).text()).contains("\"present\":false");
            assertThat(api.post("v4", "putoffset", "key", key, "clientuuid", RawApi.CLIENT).text())
                    .contains("\"offset\":" + SENT_BEFORE_SIGTERM);
            byte[] rest = Arrays.copyOfRange(content, SENT_BEFORE_SIGTERM, content.length);
            assertThat(api.put("v4", key, rest, rest.length, "offset", SENT_BEFORE_SIGTERM).text()).contains("\"stored\":true");
        }
        assertThat(served.tryAnnex("fsck", "--key=" + key).ok()).isTrue();
    }

    @Test
    void aHeldLockEndsItsKeeplockedPollAtOnceAndStillBlocksRemovalAfterRestart() throws Exception {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        byte[] content = "locked while the server stops\n".getBytes(StandardCharsets.UTF_8);
        String key = Keys.sha256e(content, ".txt");

        // a grace of ten minutes: a poll left to run would hold the stop that long
        try (ServerProcess server = ServerProcess.start(served.dir(), "--wideopen", "--annexgate.shutdown-grace=10m");
                Socket socket = new Socket("127.0.0.1", server.port())) {
            RawApi api = new RawApi(server.baseUrl(), served.uuid());
            assertThat(api.put("v4", key, content, content.length).text()).contains("\"stored\":true");
            // while the server runs, a poll ends with its client's unlock
            byte[] unlock = "{\"unlock\":false}\n{\"unlock\":true}\n".getBytes(StandardCharsets.UTF_8);
            assertThat(api.keepLocked(api.lockContent(key), () -> new ByteArrayInputStream(unlock))
                    .get(1, TimeUnit.MINUTES).body()).isEqualTo("{\"locked\":false}");

            String lockId = api.lockContent(key);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + api.path("v4", "keeplocked", RawApi.query("lockid", lockId, "clientuuid", RawApi.CLIENT))
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                    + "Connection: Keep-Alive\r\nKeep-Alive: timeout=1200\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String keep = "{\"unlock\":false}\n";
            out.write((Integer.toHexString(keep.length()) + "\r\n" + keep + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            await().atMost(Duration.ofMinutes(1)).until(() -> activePosts(server) >= 1);

            socket.setSoTimeout((int) Duration.ofMinutes(1).toMillis());
            server.sendTerminate();
            assertThat(RawHttp.responseOn(socket.getInputStream())).startsWith("HTTP/1.1 200")
                    .endsWith("{\"locked\":false}");
            assertThat(server.awaitExit(EXIT)).as("exit status; output:%n%s", server.output()).isZero();
        }
        assertThat(objectDirectoryFiles(served)).as("the lock's retention time on disk")
                .anyMatch(p -> p.getFileName().toString().equals(key + ".rtm"));

        try (ServerProcess server = ServerProcess.start(served.dir(), "--wideopen")) {
            RawApi api = new RawApi(server.baseUrl(), served.uuid());
            assertThat(api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text()).contains("\"removed\":false");
            assertThat(api.checkpresent(key).text()).contains("\"present\":true");
        }
    }

    @Test
    void theJournalOfAPutJustBeforeSigtermIsCommittedBeforeTheProcessExits() throws Exception {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        byte[] content = "stored just before the stop\n".getBytes(StandardCharsets.UTF_8);
        String key = Keys.sha256e(content, ".txt");

        try (ServerProcess server = ServerProcess.start(served.dir(), "--wideopen")) {
            RawApi api = new RawApi(server.baseUrl(), served.uuid());
            assertThat(api.put("v4", key, content, content.length).text()).contains("\"stored\":true");
            assertThat(server.terminate(EXIT)).as("exit status; output:%n%s", server.output()).isZero();
        }
        assertJournalCommitted(served, key);
    }

    @Test
    void connectionsKeepTheirIdleTimeoutWhileTheServerStops() throws Exception {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--wideopen");
        Server jetty = ((JettyWebServer) server.webServer()).getServer();
        List<AbstractConnector> connectors = Stream.of(jetty.getConnectors()).map(AbstractConnector.class::cast).toList();
        assertThat(connectors).isNotEmpty().allSatisfy(c -> assertThat(c.getIdleTimeout()).isEqualTo(120_000));
        server.close();
        // Jetty's default would give every connection one second once its listener closes
        assertThat(connectors).allSatisfy(c -> assertThat(c.getShutdownIdleTimeout()).isEqualTo(c.getIdleTimeout()));
    }

    /** Sends a put's head and its first bytes, and waits until the server has them in its temporary file. */
    private static OutputStream startPut(ServerProcess server, AnnexRepo served, Socket socket, String key, byte[] content)
            throws IOException {
        OutputStream out = new RawApi(server.baseUrl(), served.uuid()).startPut(socket, key, content, SENT_BEFORE_SIGTERM);
        Path staging = served.dir().resolve(".git/annex/tmp").resolve(key);
        await().atMost(Duration.ofMinutes(1))
                .until(() -> Files.exists(staging) && Files.size(staging) == SENT_BEFORE_SIGTERM);
        return out;
    }

    /** The location log on the git-annex branch says the served repository has {@code key}, and the journal is empty: read with git alone, as git-annex would commit the journal itself. */
    private static void assertJournalCommitted(AnnexRepo served, String key) throws IOException {
        Path journal = served.dir().resolve(".git/annex/journal");
        if (Files.isDirectory(journal)) {
            try (Stream<Path> files = Files.list(journal)) {
                assertThat(files.toList()).as("journal files left").isEmpty();
            }
        }
        String log = served.git("ls-tree", "-r", "--name-only", "git-annex").lines()
                .filter(path -> path.endsWith("/" + key + ".log")).findFirst()
                .orElseThrow(() -> new AssertionError("no location log of " + key + " on the git-annex branch"));
        assertThat(served.git("show", "git-annex:" + log)).contains(served.uuid());
    }

    /** keeplocked polls and other POSTs the server is handling now. */
    private static double activePosts(ServerProcess server) {
        return server.prometheus().lines()
                .filter(l -> l.startsWith("http_server_requests_active_seconds_count") && l.contains("method=\"POST\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static byte[] randomContent(int size) {
        byte[] content = new byte[size];
        new Random(8).nextBytes(content);
        return content;
    }

    private static List<Path> objectDirectoryFiles(AnnexRepo repo) throws IOException {
        Path objects = repo.dir().resolve(".git/annex/objects");
        if (!Files.isDirectory(objects)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(objects)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
