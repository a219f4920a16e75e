package io.annexgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.locking.FakeMonotonicClock;
import io.annexgate.locking.MonotonicClock;
import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.KeepLockedPoll;
import io.annexgate.testing.RawApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client's retry of keeplocked (its first connection dropped, unnoticed by the server yet) takes
 * the lock over: the first request is answered at once, its end changes nothing, and the lock is
 * kept by the retry past its retention until the retry unlocks. The server's monotonic clock is a
 * test's, so the retention can run out without waiting ten minutes.
 */
class KeepLockedTakeoverTest {

    @TempDir
    static Path tmp;

    static final FakeMonotonicClock clock = new FakeMonotonicClock();
    static AnnexRepo served;
    static AnnexgateServer server;
    static RawApi api;

    @BeforeAll
    static void start() {
        served = AnnexRepo.init(tmp, "served");
        server = AnnexgateServer.serveWith(MonotonicClock.class, clock, served.dir(), "--wideopen");
        api = new RawApi(server, served.uuid());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static double locksHeld() {
        return AnnexgateServer.sum(server.prometheus(), "annexgate_locks_held{", "");
    }

    private static String put(String text) {
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        String key = io.annexgate.testing.Keys.sha256e(content, ".txt");
        assertThat(api.put("v4", key, content, content.length).text()).contains("\"stored\":true");
        return key;
    }

    @Test
    void aRetryTakesTheLockOverAndTheFirstConnectionsEndDoesNotReleaseIt() throws Exception {
        String key = put("kept by the retry\n");
        String lockId = api.lockContent(key);
        try (KeepLockedPoll one = KeepLockedPoll.start(server, api, lockId);
                KeepLockedPoll two = KeepLockedPoll.start(server, api, lockId)) {
            // whichever reached the server first is taken over by the other, and told at once
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> one.answer().isDone() || two.answer().isDone());
            KeepLockedPoll first = one.answer().isDone() ? one : two;
            KeepLockedPoll retry = first == one ? two : one;
            assertThat(first.answer().join()).startsWith("HTTP/1.1 200").endsWith("{\"locked\":false}");
            first.reset();

            // past the retention lockcontent promised: the retry still keeps the lock
            clock.advance(Duration.ofMinutes(11));
            String other = put("another lock, so the registry does its housekeeping\n");
            String otherLockId = api.lockContent(other);
            assertThat(api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text())
                    .contains("\"removed\":false");
            assertThat(locksHeld()).isEqualTo(2);
            assertThat(retry.answer()).isNotDone();

            retry.unlock();
            assertThat(retry.answer().get(30, TimeUnit.SECONDS)).endsWith("{\"locked\":false}");
            try (KeepLockedPoll otherPoll = KeepLockedPoll.start(server, api, otherLockId)) {
                otherPoll.unlock();
                otherPoll.answer().get(30, TimeUnit.SECONDS);
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> locksHeld() == 0);
        assertThat(api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text())
                .contains("\"removed\":true");
    }
}
