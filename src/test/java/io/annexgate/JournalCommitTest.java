package io.annexgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexgate.protocol.Key;
import io.annexgate.repository.LocationLogContent;
import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Command;
import io.annexgate.testing.IndexLockHolder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Location-log changes made through the server reach the served repository's git-annex branch. */
class JournalCommitTest {

    @TempDir
    Path tmp;

    AnnexRepo served;
    AnnexgateServer server;
    AnnexRepo client;

    @BeforeEach
    void start() {
        served = AnnexRepo.init(tmp, "served");
        served.add("seed.txt", "seed\n".getBytes(StandardCharsets.UTF_8));
        server = AnnexgateServer.serve(served.dir(), "--wideopen");
        client = AnnexRepo.cloneOf(served, tmp, "client", server.annexUrl());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String onBranch(String key) {
        return Command.run(served.dir(), "git", "show",
                "git-annex:" + LocationLogContent.branchPath(Key.parse(key), 2)).output();
    }

    private boolean journalEmpty() {
        String[] left = served.dir().resolve(".git/annex/journal").toFile().list();
        return left == null || left.length == 0;
    }

    @Test
    void aCopyToTheServerIsCommittedToTheGitAnnexBranchWithinSeconds() {
        String before = served.git("rev-parse", "git-annex").strip();
        String key = client.add("one.txt", "one\n".getBytes(StandardCharsets.UTF_8));

        client.annex("copy", "--to", "origin", "one.txt");

        await().atMost(Duration.ofSeconds(5)).until(() -> onBranch(key).contains(" 1 " + served.uuid()));
        assertThat(served.git("log", "-1", "--format=%s", "git-annex").strip()).isEqualTo("update");
        assertThat(Command.run(served.dir(), "git", "merge-base", "--is-ancestor", before, "git-annex").ok()).isTrue();
        assertThat(journalEmpty()).isTrue();
        assertThat(served.annex("fsck", "--key", key)).contains("ok");
    }

    @Test
    void concurrentCopiesAreBatchedAndGitAnnexOnTheServerStaysConsistent() throws Exception {
        List<String> files = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            files.add("f" + i + ".txt");
            keys.add(client.add("f" + i + ".txt", ("file " + i + "\n").getBytes(StandardCharsets.UTF_8)));
        }
        String before = served.git("rev-parse", "git-annex").strip();
        AtomicBoolean copying = new AtomicBoolean(true);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        // git-annex on the server side reads and commits the same branch while the server writes
        CompletableFuture<List<Command.Result>> serverSide = CompletableFuture.supplyAsync(() -> {
            List<Command.Result> results = new ArrayList<>();
            while (copying.get()) {
                results.add(Command.run(served.dir(), "git", "annex", "whereis", "--all", "--fast"));
                results.add(Command.run(served.dir(), "git", "annex", "fsck", "--fast", "--all", "--quiet"));
            }
            return results;
        }, threads);
        List<CompletableFuture<Void>> copies = new ArrayList<>();
        for (int half = 0; half < 2; half++) {
            List<String> mine = files.subList(half * 4, half * 4 + 4);
            copies.add(CompletableFuture.runAsync(() -> {
                for (String f : mine) {
                    client.annex("copy", "--to", "origin", f);
                }
            }, threads));
        }
        CompletableFuture.allOf(copies.toArray(CompletableFuture[]::new)).join();
        copying.set(false);
        assertThat(serverSide.get()).allMatch(Command.Result::ok);
        threads.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> keys.stream().allMatch(k -> onBranch(k).contains(" 1 " + served.uuid())));
        await().atMost(Duration.ofSeconds(5)).until(this::journalEmpty);
        int commits = Integer.parseInt(served.git("rev-list", "--count", before + "..git-annex").strip());
        assertThat(commits).as("commits batch several requests").isBetween(1, 8 + 20);
        for (String key : keys) {
            assertThat(served.annex("whereis", "--key", key)).contains("served");
            assertThat(served.annex("fsck", "--key", key)).contains("ok");
        }
        assertThat(Command.run(served.dir(), "git", "fsck", "--no-progress").ok()).isTrue();
    }

    @Test
    void aChangeStillPendingIsCommittedWhenTheServerStops() {
        String key = client.add("last.txt", "last\n".getBytes(StandardCharsets.UTF_8));
        client.annex("copy", "--to", "origin", "last.txt");

        server.close();

        assertThat(onBranch(key)).contains(" 1 " + served.uuid());
        assertThat(journalEmpty()).isTrue();
    }

    @Test
    void aDropFromTheServerIsCommittedAsMissing() {
        String key = client.add("gone.txt", "gone\n".getBytes(StandardCharsets.UTF_8));
        client.annex("copy", "--to", "origin", "gone.txt");

        client.annex("drop", "--from", "origin", "gone.txt");

        await().atMost(Duration.ofSeconds(5)).until(() -> onBranch(key).contains(" 0 " + served.uuid()));
        assertThat(served.tryAnnex("whereis", "--key", key).output()).contains("0 copies");
        assertThat(Files.exists(served.dir().resolve(".git/annex/journal"))).isTrue();
    }

    @Test
    void aCommitBlockedByAnotherProcessesIndexLockIsCountedRetriedAndLosesNothing() throws Exception {
        String key;
        try (IndexLockHolder git = IndexLockHolder.hold(served.dir(), served.dir().resolve(".git"))) {
            key = client.add("blocked.txt", "blocked\n".getBytes(StandardCharsets.UTF_8));
            client.annex("copy", "--to", "origin", "blocked.txt");

            await().atMost(Duration.ofMinutes(1)).until(() -> AnnexgateServer.sum(server.prometheus(),
                    "annexgate_journal_commit_failures_total", "") >= 1);
            assertThat(journalEmpty()).isFalse();
            assertThat(onBranch(key)).doesNotContain(" 1 " + served.uuid());
            assertThat(git.indexLock()).exists();
        }
        // the retry commits it once the other process has let go
        await().atMost(Duration.ofMinutes(1)).until(() -> onBranch(key).contains(" 1 " + served.uuid()));
        await().atMost(Duration.ofMinutes(1)).until(this::journalEmpty);
    }
}
