package io.annexgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexgate.repository.AnnexRepository;
import io.annexgate.service.LocalRepositories;
import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Command;
import io.annexgate.testing.RawApi;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * With {@code --directory}, a served repository does not go away under its users: a copy of it
 * with its uuid is refused while it keeps serving, a scan that misses it once does not close it,
 * and one really gone stops being served but lets its requests in flight finish.
 */
@ExtendWith(OutputCaptureExtension.class)
class ServedRepositoryLifetimeTest {

    private static final Duration DISCOVERY = Duration.ofSeconds(5);

    @TempDir
    Path tmp;

    Path served;
    AnnexRepo repo;
    String key;
    final MissingScan scan = new MissingScan();
    AnnexgateServer server;
    RawApi api;

    /** The file-system walk, except that it can be told to leave a repository out of its next scan. */
    static final class MissingScan implements LocalRepositories.Scan {
        private final Set<Path> missNext = ConcurrentHashMap.newKeySet();
        private final AtomicInteger missed = new AtomicInteger();

        void missNext(Path dir) {
            missNext.add(dir.toAbsolutePath().normalize());
        }

        int missed() {
            return missed.get();
        }

        @Override
        public List<AnnexRepository> below(Path top) {
            return WALK.below(top).stream().filter(r -> {
                boolean miss = missNext.remove(r.dir());
                if (miss) {
                    missed.incrementAndGet();
                }
                return !miss;
            }).toList();
        }
    }

    @BeforeEach
    void start() throws IOException {
        served = Files.createDirectories(tmp.resolve("served"));
        repo = AnnexRepo.init(served, "one");
        key = repo.add("kept.txt", "kept\n".getBytes(StandardCharsets.UTF_8));
        server = AnnexgateServer.serveWith(LocalRepositories.Scan.class, scan, served, "--wideopen",
                "--directory=" + served);
        api = new RawApi(server, repo.uuid());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private double gauge(String name, String... tags) {
        Gauge gauge = server.bean(MeterRegistry.class).find(name).tags(tags).gauge();
        return gauge == null ? -1 : gauge.value();
    }

    private double refusedDuplicates() {
        return gauge("annexgate.repositories.refused", "reason", "duplicate_uuid");
    }

    private String remove() {
        return api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text();
    }

    /** A lock taken by lockcontent and kept by a keeplocked request whose body stays open until {@link #unlock}. */
    private final class HeldLock {
        final PipedOutputStream feed = new PipedOutputStream();
        final CompletableFuture<HttpResponse<String>> kept;

        HeldLock() throws IOException {
            PipedInputStream body = new PipedInputStream(feed);
            kept = api.keepLocked(api.lockContent(key), () -> body);
        }

        /** Sends the unlock and waits for the keeplocked request to end. */
        void unlock() throws Exception {
            feed.write("{\"unlock\":true}\n".getBytes(StandardCharsets.UTF_8));
            feed.close();
            assertThat(kept.get().body()).isEqualTo("{\"locked\":false}");
        }
    }

    /** Asks for a uuid nobody serves, which makes a rescan before the 404 is answered. */
    private void rescanNow() {
        assertThat(new RawApi(server, UUID.randomUUID().toString()).checkpresent(key).status()).isEqualTo(404);
    }

    private static void removeFromDisk(Path dir) {
        // git-annex leaves its objects read-only; a user's rm -rf of a repository is made writable first
        Command.ok(dir.getParent(), "chmod", "-R", "u+w", dir.toString());
        Command.ok(dir.getParent(), "rm", "-rf", dir.toString());
    }

    @Test
    void aCopyInsideTheServedTreeIsRefusedWhileTheServedRepositoryKeepsServingAndItsLock(CapturedOutput output)
            throws Exception {
        HeldLock lock = new HeldLock();

        Command.ok(served, "cp", "-a", repo.dir().toString(), served.resolve("one-copy").toString());

        await().atMost(DISCOVERY).until(() -> refusedDuplicates() == 1);
        assertThat(api.checkpresent(key).text()).contains("true");
        assertThat(remove()).contains("\"removed\":false");
        assertThat(output.getAll()).contains("refusing " + served.resolve("one-copy"));
        // the same lock, not its retention on disk, is what protected the content: unlocking it frees the key
        lock.unlock();
        assertThat(remove()).contains("\"removed\":true");
        assertThat(gauge("annexgate.repositories.served")).isEqualTo(1);
    }

    @Test
    void aRepositoryRemovedFromDiskStopsBeingServedOnceItsRequestInFlightEnds() throws Exception {
        byte[] big = new byte[16 << 20];
        new Random(6).nextBytes(big);
        String bigKey = repo.add("big.bin", big);
        assertThat(api.lockContent(key)).isNotBlank();
        assertThat(gauge("annexgate.locks.held")).isEqualTo(1);

        try (Socket get = new Socket()) {
            // a small receive window keeps the server writing until this test reads
            get.setReceiveBufferSize(8192);
            get.connect(new InetSocketAddress("127.0.0.1", server.port()));
            get.getOutputStream().write(("GET " + api.path("v4", "key/" + bigKey, RawApi.query("clientuuid", RawApi.CLIENT))
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = get.getInputStream();
            String head = headers(in);
            assertThat(head).startsWith("HTTP/1.1 200");
            await().atMost(DISCOVERY).until(() -> gauge("annexgate.transfers.in.flight", "direction", "download") == 1);

            removeFromDisk(repo.dir());

            await().atMost(DISCOVERY).until(() -> api.checkpresent(key).status() == 404);
            assertThat(gauge("annexgate.repositories.served")).isEqualTo(0);
            assertThat(gauge("annexgate.locks.held")).as("still open for the request in flight").isEqualTo(1);
            // the request ends as the protocol ends a get whose object went away while it was sent:
            // every byte but the last, so that the client discards it as invalid and tries elsewhere
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOf(big, big.length - 1));
        }
        await().atMost(DISCOVERY).until(() -> gauge("annexgate.locks.held") == 0);
        assertThat(api.checkpresent(key).status()).isEqualTo(404);
    }

    private static String headers(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("end of headers").isNotNegative();
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aScanThatMissesTheRepositoryOnceDoesNotCloseIt() throws Exception {
        HeldLock lock = new HeldLock();
        assertThat(api.checkpresent(key).text()).contains("true");

        scan.missNext(repo.dir());
        rescanNow();

        assertThat(scan.missed()).isEqualTo(1);
        assertThat(api.checkpresent(key).text()).contains("true");
        assertThat(remove()).contains("\"removed\":false");
        lock.unlock();
        assertThat(remove()).contains("\"removed\":true");
    }

    @Test
    void aRepositoryRenamedInsideTheTreeIsServedAtItsNewPlaceAndItsLockStillProtectsTheContent() {
        assertThat(api.lockContent(key)).isNotBlank();

        Path renamed = served.resolve("renamed");
        Command.ok(served, "mv", repo.dir().toString(), renamed.toString());

        await().atMost(DISCOVERY).until(() -> servedFrom(renamed));
        assertThat(api.checkpresent(key).text()).contains("true");
        // the lock's retention went with the repository: the content stays until it runs out
        assertThat(remove()).contains("\"removed\":false");
        assertThat(new AnnexRepo(renamed).hasContent(key)).isTrue();
    }

    /** Whether the server says it serves {@code dir} now. */
    private boolean servedFrom(Path dir) {
        return server.bean(LocalRepositories.class).servedStates().stream()
                .anyMatch(s -> s.repository().dir().equals(dir.toAbsolutePath().normalize()));
    }

    @Test
    void whenTheServedRepositoryGoesItsRefusedCopyIsServed() {
        Path copy = served.resolve("one-copy");
        Command.ok(served, "cp", "-a", repo.dir().toString(), copy.toString());
        await().atMost(DISCOVERY).until(() -> refusedDuplicates() == 1);

        removeFromDisk(repo.dir());

        await().atMost(DISCOVERY).until(() -> servedFrom(copy));
        assertThat(refusedDuplicates()).isZero();
        assertThat(api.checkpresent(key).text()).contains("true");
    }

    @Test
    void twoWithOneUuidAtStartTheFirstInPathOrderIsServed(CapturedOutput output) {
        server.close();
        Path twin = served.resolve("a-twin");
        Command.ok(served, "git", "clone", "-q", repo.dir().toString(), twin.toString());
        Command.ok(twin, "git", "config", "annex.uuid", repo.uuid());
        server = AnnexgateServer.serveWith(LocalRepositories.Scan.class, scan, served, "--wideopen",
                "--directory=" + served);
        api = new RawApi(server, repo.uuid());

        assertThat(servedFrom(twin)).isTrue();
        assertThat(refusedDuplicates()).isEqualTo(1);
        assertThat(output.getAll()).contains("refusing " + repo.dir());
        // the twin, a clone, has no content: it is the one answering
        assertThat(api.checkpresent(key).text()).contains("false");
    }
}
