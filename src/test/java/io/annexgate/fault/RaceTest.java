package io.annexgate.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import io.annexgate.repository.AnnexRepository;
import io.annexgate.repository.GitAnnexBranch;
import io.annexgate.repository.JournalLocationLog;
import io.annexgate.repository.JournalLock;
import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Keys;
import io.annexgate.testing.RawApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests on one key racing each other through a real server: whatever the interleaving, what is
 * on disk, what the location log says and what was answered agree.
 */
class RaceTest {

    private static final int ROUNDS = 20;

    @TempDir
    Path tmp;

    private static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Runs the tasks at the same moment, each on its own virtual thread, and returns their answers. */
    private static List<RawApi.Response> together(List<Supplier<RawApi.Response>> tasks) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<RawApi.Response>> futures = new ArrayList<>();
            for (Supplier<RawApi.Response> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.get();
                }));
            }
            start.countDown();
            List<RawApi.Response> answers = new ArrayList<>();
            for (Future<RawApi.Response> f : futures) {
                answers.add(f.get());
            }
            return answers;
        }
    }

    @Test
    void fiftyClientsPuttingOneKeyAtOnceEndWithOneVerifiedObject() throws Exception {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        byte[] content = bytes(2 * 1024 * 1024, 50);
        String key = Keys.sha256e(content, ".bin");
        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--wideopen")) {
            RawApi api = new RawApi(server, served.uuid());
            List<Supplier<RawApi.Response>> puts = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                puts.add(() -> api.put("v4", key, content, content.length));
            }
            List<RawApi.Response> answers = together(puts);

            assertThat(answers).anyMatch(a -> a.text().contains("\"stored\":true"));
            // the others were told it is stored, or refused while another upload of it was running
            assertThat(answers).allMatch(a -> a.text().contains("\"stored\":") || a.status() >= 400);
            assertThat(api.get("v4", key).body()).isEqualTo(content);
        }
        assertThat(objectFiles(served)).hasSize(1);
        assertThat(served.tryAnnex("fsck", "--quiet", "--key=" + key).ok()).isTrue();
        assertThat(tmpFiles(served)).isEmpty();
    }

    @Test
    void putRacingRemoveLeavesTheObjectAndTheLocationLogAgreeing() throws Exception {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        byte[] content = bytes(64 * 1024, 7);
        String key = Keys.sha256e(content, ".bin");
        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--wideopen");
                LocationLogReader log = new LocationLogReader(served)) {
            RawApi api = new RawApi(server, served.uuid());
            for (int round = 0; round < ROUNDS; round++) {
                if (round % 2 == 1) {
                    // half the rounds race a remove of a present object with a re-put
                    assertThat(api.put("v4", key, content, content.length).text()).contains("\"stored\":true");
                }
                together(List.of(
                        () -> api.put("v4", key, content, content.length),
                        () -> api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT)));
                boolean present = api.checkpresent(key).text().contains("\"present\":true");
                assertThat(log.says(key)).as("round %d: the location log agrees with the object store", round)
                        .isEqualTo(present);
                if (present) {
                    assertThat(api.get("v4", key).body()).isEqualTo(content);
                }
            }
        }
    }

    @Test
    void lockcontentRacingRemoveNeverLeavesARemovedObjectLocked() throws Exception {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        byte[] content = bytes(64 * 1024, 8);
        String key = Keys.sha256e(content, ".bin");
        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--wideopen")) {
            RawApi api = new RawApi(server, served.uuid());
            int lockWon = 0;
            int removeWon = 0;
            for (int round = 0; round < ROUNDS; round++) {
                assertThat(api.put("v4", key, content, content.length).text()).contains("\"stored\":true");
                List<RawApi.Response> answers = together(List.of(
                        () -> api.post("v4", "lockcontent", "key", key, "clientuuid", RawApi.CLIENT),
                        () -> api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT)));
                boolean locked = answers.get(0).text().contains("\"locked\":true");
                boolean removed = answers.get(1).text().contains("\"removed\":true");
                assertThat(locked && removed).as("round %d: %s / %s", round, answers.get(0).text(), answers.get(1).text())
                        .isFalse();
                boolean present = api.checkpresent(key).text().contains("\"present\":true");
                if (locked) {
                    lockWon++;
                    assertThat(present).isTrue();
                    // still locked: a second remove is refused
                    assertThat(api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text())
                            .contains("\"removed\":false");
                    api.unlock(answers.get(0).lockId());
                } else if (removed) {
                    removeWon++;
                    assertThat(present).isFalse();
                }
            }
            assertThat(lockWon + removeWon).isPositive();
        }
    }

    @Test
    void removeBeforeRacingItsDeadlineEitherRemovesOrKeepsButNeverHalfway() throws Exception {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        byte[] content = bytes(16 * 1024, 9);
        String key = Keys.sha256e(content, ".bin");
        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--wideopen");
                LocationLogReader log = new LocationLogReader(served)) {
            RawApi api = new RawApi(server, served.uuid());
            int removed = 0;
            int tooLate = 0;
            for (int round = 0; round < ROUNDS; round++) {
                assertThat(api.put("v4", key, content, content.length).text()).contains("\"stored\":true");
                long now = Long.parseLong(api.post("v4", "gettimestamp", "clientuuid", RawApi.CLIENT).text()
                        .replaceAll("\\D", ""));
                // a deadline at the edge of the server's clock: which side of it the remove lands on
                // is the race; a remove-before with a lock racing it makes the window wider
                List<RawApi.Response> answers = together(List.of(
                        () -> api.post("v4", "remove-before", "key", key, "clientuuid", RawApi.CLIENT,
                                "timestamp", now + 1),
                        () -> api.post("v4", "lockcontent", "key", key, "clientuuid", RawApi.CLIENT)));
                boolean gone = answers.get(0).text().contains("\"removed\":true");
                boolean present = api.checkpresent(key).text().contains("\"present\":true");
                assertThat(present).as("round %d: %s", round, answers.get(0).text()).isEqualTo(!gone);
                assertThat(log.says(key)).as("round %d: the location log agrees", round).isEqualTo(present);
                if (answers.get(1).text().contains("\"locked\":true")) {
                    assertThat(gone).as("round %d: a locked object was removed", round).isFalse();
                    api.unlock(answers.get(1).lockId());
                }
                if (gone) {
                    removed++;
                } else {
                    tooLate++;
                }
            }
            assertThat(removed + tooLate).isEqualTo(ROUNDS);
        }
    }

    private static List<Path> objectFiles(AnnexRepo repo) throws Exception {
        return regularFilesBelow(repo.dir().resolve(".git/annex/objects")).stream()
                .filter(p -> !p.getFileName().toString().contains(".")
                        || p.getFileName().toString().endsWith(".bin"))
                .toList();
    }

    private static List<Path> tmpFiles(AnnexRepo repo) throws Exception {
        return regularFilesBelow(repo.dir().resolve(".git/annex/tmp"));
    }

    private static List<Path> regularFilesBelow(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    /** Reads the served repository's location log as git-annex does: the journal, then the branch. */
    private static final class LocationLogReader implements AutoCloseable {
        private final GitAnnexBranch branch;
        private final JournalLocationLog log;
        private final AnnexUuid uuid;

        LocationLogReader(AnnexRepo served) throws Exception {
            AnnexRepository repository = AnnexRepository.open(served.dir()).orElseThrow();
            this.branch = new GitAnnexBranch(repository);
            this.log = new JournalLocationLog(repository, branch, new JournalLock(repository), Clock.systemUTC());
            this.uuid = repository.uuid();
        }

        boolean says(String key) throws Exception {
            return log.says(Key.parse(key), uuid);
        }

        @Override
        public void close() {
            branch.close();
        }
    }
}
