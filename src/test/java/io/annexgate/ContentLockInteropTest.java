package io.annexgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.repository.RetentionTimestamp;
import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Command;
import io.annexgate.testing.KeepLockedPoll;
import io.annexgate.testing.Keys;
import io.annexgate.testing.ProcLocks;
import io.annexgate.testing.ProxiedRoundTrip;
import io.annexgate.testing.RawApi;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our content locks and git-annex's, across processes, on the served repository: two clients
 * holding one content, one unlocking, keep it locked for the other, against our remove and against
 * a real {@code git annex drop}; and races, a real drop against our lockcontent and our remove
 * against a real git-annex process locking the content ({@code git-annex-shell p2pstdio},
 * LOCKCONTENT, as a client's copy through ssh takes it). Whoever wins a race, a lock answered held
 * has its content on disk until it is unlocked, and a lost race is a plain refusal.
 * <p>
 * The server's wall clock runs eleven minutes behind, so the retention times it writes beside the
 * objects have passed already for git-annex: only the content lock itself can stop git-annex's
 * drop. A trusted other copy is on record, so the drop needs no {@code --force}.
 */
class ContentLockInteropTest {

    private static final int ROUNDS = 20;
    private static final String BACKUP = "0badc0de-0000-4000-8000-00000000bac0";
    private static final Executor VIRTUAL = task -> Thread.ofVirtual().start(task);

    @TempDir
    static Path tmp;

    static AnnexRepo served;
    static AnnexgateServer server;
    static RawApi api;
    static long seed;

    @BeforeAll
    static void start() {
        served = AnnexRepo.init(tmp, "served");
        served.git("config", "remote.backup.url", "../backup");
        served.git("config", "remote.backup.annex-uuid", BACKUP);
        served.annex("trust", "backup", "--force");
        server = AnnexgateServer.serveWith(Clock.class, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-11)),
                served.dir(), "--wideopen");
        api = new RawApi(server, served.uuid());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static byte[] content() {
        return ProxiedRoundTrip.bytes(3_000, ++seed);
    }

    /** Content put through the server, with the trusted copy on record; answers where its object is. */
    private static Path stored(byte[] content) {
        String key = Keys.sha256e(content, ".bin");
        assertThat(api.put("v4", key, content, content.length).text()).contains("\"stored\":true");
        served.annex("setpresentkey", key, BACKUP, "1");
        return served.dir().resolve(served.annex("contentlocation", key).strip());
    }

    private static RawApi.Response lockContent(String key) {
        RawApi.Response r = api.post("v4", "lockcontent", "key", key, "clientuuid", RawApi.CLIENT);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r;
    }

    private static String lockId(RawApi.Response locked) {
        return locked.text().replaceAll(".*\"lockid\":\"([^\"]+)\".*", "$1").strip();
    }

    private static void unlock(String lockId) throws Exception {
        try (KeepLockedPoll poll = KeepLockedPoll.start(server, api, lockId)) {
            poll.unlock();
            assertThat(poll.answer().get(30, TimeUnit.SECONDS)).endsWith("{\"locked\":false}");
        }
    }

    private static Path lockFile(Path object) {
        return object.resolveSibling(object.getFileName() + ".lck");
    }

    /** Spins until a process {@code holder} accepts holds the object's lock file exclusively, or {@code done} is. */
    private static void awaitExclusive(Path object, Future<?> done, Predicate<ProcLocks.Entry> holder) {
        while (!done.isDone() && ProcLocks.on(lockFile(object)).stream().noneMatch(e -> e.write() && holder.test(e))) {
            Thread.onSpinWait();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void gitAnnexCannotDropWhatTheOtherClientStillHoldsLocked() throws Exception {
        byte[] content = content();
        String key = Keys.sha256e(content, ".bin");
        Path object = stored(content);
        String one = api.lockContent(key);
        String two = api.lockContent(key);
        unlock(one);

        // the retention the locks wrote has passed for git-annex: only the lock the other client holds stops it
        Path rtm = object.resolveSibling(object.getFileName() + ".rtm");
        assertThat(RetentionTimestamp.parse(Files.readString(rtm)).orElseThrow().isAfter(Instant.now())).isFalse();
        assertThat(ProcLocks.holding(lockFile(object), ProcessHandle.current().pid())).isTrue();
        Command.Result drop = served.tryAnnex("drop", "--key", key);
        assertThat(drop.ok()).as(drop.output()).isFalse();
        assertThat(drop.output()).contains("content is locked");
        assertThat(served.hasContent(key)).isTrue();

        unlock(two);
        Command.Result dropped = served.tryAnnex("drop", "--key", key);
        assertThat(dropped.ok()).as(dropped.output()).isTrue();
        assertThat(served.hasContent(key)).isFalse();
    }

    @Test
    void ourRemoveRefusesWhatTheOtherClientStillHoldsLocked() throws Exception {
        byte[] content = content();
        String key = Keys.sha256e(content, ".bin");
        stored(content);
        String one = api.lockContent(key);
        String two = api.lockContent(key);
        unlock(one);

        assertThat(api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text())
                .contains("\"removed\":false");
        assertThat(served.hasContent(key)).isTrue();

        unlock(two);
        assertThat(api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text())
                .contains("\"removed\":true");
        assertThat(served.hasContent(key)).isFalse();
    }

    @Test
    void gitAnnexDropRacingOurLockcontent() throws Exception {
        int locksWon = 0;
        int dropsWon = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] content = content();
            String key = Keys.sha256e(content, ".bin");
            Path object = stored(content);
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Command.Result> drop = CompletableFuture.supplyAsync(() -> {
                awaitQuietly(go);
                return served.tryAnnex("drop", "--key", key);
            }, VIRTUAL);
            go.countDown();
            if (round % 2 == 1) {
                // this round our first attempt comes once git-annex holds its exclusive lock (or is done)
                awaitExclusive(object, drop, e -> e.pid() != ProcessHandle.current().pid());
            }
            // lock again and again while git-annex drops, so some lockcontent meets its critical part;
            // a lock granted is held until the drop has ended
            String held = null;
            while (held == null && !drop.isDone()) {
                RawApi.Response r = lockContent(key);
                if (r.text().contains("\"locked\":true")) {
                    held = lockId(r);
                } else {
                    assertThat(r.text()).isEqualTo("{\"locked\":false}");
                }
            }
            Command.Result dropped = drop.get(5, TimeUnit.MINUTES);
            if (held != null) {
                locksWon++;
                assertThat(dropped.ok()).as("round %d: the drop ended while we held the lock: %s", round,
                        dropped.output()).isFalse();
                assertThat(dropped.output()).contains("content is locked");
                assertThat(object).as("round %d: locked content stays until unlocked", round).exists();
                unlock(held);
            } else if (dropped.ok()) {
                dropsWon++;
                assertThat(object).doesNotExist();
                assertThat(lockContent(key).text()).isEqualTo("{\"locked\":false}");
            } else {
                // the drop met one of our attempts between its lock and its answer
                locksWon++;
                assertThat(dropped.output()).contains("content is locked");
                assertThat(object).exists();
            }
        }
        System.out.printf("drop racing lockcontent: %d locks won, %d drops won%n", locksWon, dropsWon);
        assertThat(locksWon + dropsWon).isEqualTo(ROUNDS);
    }

    /** git-annex-shell p2pstdio on the served repository, spoken to line by line. */
    private static final class Shell implements AutoCloseable {
        private final Process process;
        private final BufferedReader in;
        private final OutputStream out;

        Shell() throws IOException {
            ProcessBuilder pb = new ProcessBuilder("git-annex-shell", "p2pstdio", served.dir().toString(),
                    RawApi.CLIENT, "--uuid", served.uuid()).directory(served.dir().toFile());
            pb.environment().putAll(Command.environment());
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            process = pb.start();
            in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            out = process.getOutputStream();
            assertThat(in.readLine()).startsWith("AUTH-SUCCESS ");
            assertThat(say("VERSION 1")).isEqualTo("VERSION 1");
        }

        String say(String line) throws IOException {
            send(line);
            return in.readLine();
        }

        void send(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public void close() throws Exception {
            out.close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void ourRemoveRacingGitAnnexLockingTheContent() throws Exception {
        int locksWon = 0;
        int removesWon = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] content = content();
            String key = Keys.sha256e(content, ".bin");
            Path object = stored(content);
            try (Shell shell = new Shell()) {
                CountDownLatch go = new CountDownLatch(1);
                CountDownLatch lockNow = new CountDownLatch(1);
                CompletableFuture<String> locked = CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(lockNow);
                    try {
                        return shell.say("LOCKCONTENT " + key);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, VIRTUAL);
                CompletableFuture<RawApi.Response> removed = CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(go);
                    return api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT);
                }, VIRTUAL);
                go.countDown();
                if (round % 2 == 1) {
                    // this round git-annex locks once our remove holds its exclusive lock (or is done)
                    awaitExclusive(object, removed, e -> e.pid() == ProcessHandle.current().pid());
                }
                lockNow.countDown();
                String lockAnswer = locked.get(60, TimeUnit.SECONDS);
                RawApi.Response removeAnswer = removed.get(60, TimeUnit.SECONDS);
                assertThat(removeAnswer.status()).as(removeAnswer.text()).isEqualTo(200);
                assertThat(lockAnswer).isIn("SUCCESS", "FAILURE");
                if (lockAnswer.equals("SUCCESS")) {
                    locksWon++;
                    assertThat(object).as("round %d: content git-annex locked is there", round).exists();
                    assertThat(removeAnswer.text()).contains("\"removed\":false");
                    shell.send("UNLOCKCONTENT");
                } else {
                    removesWon++;
                    assertThat(removeAnswer.text()).contains("\"removed\":true");
                    assertThat(object).doesNotExist();
                }
            }
        }
        System.out.printf("remove racing git-annex's lock: %d locks won, %d removes won%n", locksWon, removesWon);
        assertThat(locksWon + removesWon).isEqualTo(ROUNDS);
    }
}
