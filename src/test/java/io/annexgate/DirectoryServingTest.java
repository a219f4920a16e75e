package io.annexgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexgate.protocol.Key;
import io.annexgate.repository.LocationLogContent;
import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Command;
import io.annexgate.testing.RawApi;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** {@code --directory}: every git-annex repository below a directory, found at start and while running. */
@ExtendWith(OutputCaptureExtension.class)
class DirectoryServingTest {

    private static final Duration DISCOVERY = Duration.ofSeconds(2);

    @TempDir
    Path tmp;

    Path served;
    Path clients;
    AnnexRepo plain;
    AnnexRepo bare;
    AnnexgateServer server;

    @BeforeEach
    void start() throws Exception {
        served = Files.createDirectories(tmp.resolve("served"));
        clients = Files.createDirectories(tmp.resolve("clients"));
        plain = AnnexRepo.init(served, "plain");
        plain.add("seed.txt", "seed\n".getBytes(StandardCharsets.UTF_8));
        bare = AnnexRepo.initBare(Files.createDirectories(served.resolve("deeper/still")), "bare.git");
        server = AnnexgateServer.serve(served, "--wideopen", "--directory=" + served);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int checkpresent(String uuid) {
        return new RawApi(server, uuid).checkpresent("SHA256E-s1--" + "0".repeat(64)).status();
    }

    private String onBranch(AnnexRepo repo, String key) {
        return Command.run(repo.dir(), "git", "show", "git-annex:" + LocationLogContent.branchPath(Key.parse(key), 2)).output();
    }

    @Test
    void twoRepositoriesBelowOneDirectoryAreUsedConcurrentlyByRealClients() throws Exception {
        AnnexRepo toPlain = AnnexRepo.cloneOf(plain, clients, "to-plain", server.annexUrl());
        AnnexRepo toBare = AnnexRepo.cloneOf(bare, clients, "to-bare", server.annexUrl());
        String keyPlain = toPlain.add("a.txt", "for plain\n".getBytes(StandardCharsets.UTF_8));
        String keyBare = toBare.add("b.txt", "for bare\n".getBytes(StandardCharsets.UTF_8));

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture.allOf(
                    CompletableFuture.runAsync(() -> toPlain.annex("copy", "--to", "origin", "a.txt"), threads),
                    CompletableFuture.runAsync(() -> toBare.annex("copy", "--to", "origin", "b.txt"), threads)).join();
        }

        assertThat(plain.hasContent(keyPlain)).isTrue();
        assertThat(bare.hasContent(keyBare)).isTrue();
        assertThat(plain.hasContent(keyBare)).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> onBranch(plain, keyPlain).contains(plain.uuid())
                && onBranch(bare, keyBare).contains(bare.uuid()));
        assertThat(toBare.tryAnnex("checkpresentkey", keyBare, "origin").ok()).isTrue();
    }

    @Test
    void aRepositoryMadeWhileRunningIsServedWithinTwoSecondsAndTakesCopies() {
        assertThat(checkpresent(plain.uuid())).isEqualTo(200);

        AnnexRepo late = AnnexRepo.init(served.resolve("new/below"), "late");

        await().atMost(DISCOVERY).until(() -> checkpresent(late.uuid()) == 200);
        late.add("l.txt", "late\n".getBytes(StandardCharsets.UTF_8));
        AnnexRepo client = AnnexRepo.cloneOf(late, clients, "to-late", server.annexUrl());
        String key = client.add("c.txt", "to the late one\n".getBytes(StandardCharsets.UTF_8));
        client.annex("copy", "--to", "origin", "c.txt");
        assertThat(late.hasContent(key)).isTrue();
    }

    @Test
    void aGitRepositoryInitialisedForGitAnnexLaterIsServed() throws Exception {
        Path dir = Files.createDirectories(served.resolve("git-first"));
        Command.ok(dir, "git", "init", "-q", "-b", "main");
        // let the watch see the plain git repository first
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> true);

        Command.ok(dir, "git", "annex", "init", "-q", "git-first");
        String uuid = new AnnexRepo(dir).uuid();

        await().atMost(DISCOVERY).until(() -> checkpresent(uuid) == 200);
    }

    @Test
    void aRepositoryMovedAwayIsNoLongerServed() throws Exception {
        String uuid = plain.uuid();
        assertThat(checkpresent(uuid)).isEqualTo(200);

        Files.move(plain.dir(), tmp.resolve("moved-away"));

        await().atMost(DISCOVERY).until(() -> checkpresent(uuid) == 404);
        assertThat(checkpresent(bare.uuid())).isEqualTo(200);
        MeterRegistry meters = server.bean(MeterRegistry.class);
        assertThat(meters.get("annexgate.repositories.served").gauge().value()).isEqualTo(1);
        assertThat(meters.find("annexgate.disk.free").gauges()).hasSize(1);

        Files.move(tmp.resolve("moved-away"), served.resolve("back"));

        await().atMost(DISCOVERY).until(() -> checkpresent(uuid) == 200);
        assertThat(meters.get("annexgate.repositories.served").gauge().value()).isEqualTo(2);
        assertThat(meters.find("annexgate.disk.free").gauges()).hasSize(1);
    }

    private double refusedDuplicates() {
        return server.bean(MeterRegistry.class).get("annexgate.repositories.refused").tag("reason", "duplicate_uuid")
                .gauge().value();
    }

    @Test
    void aSecondRepositoryWithTheUuidOfAServedOneIsRefusedAndTheServedOneKeepsServing() {
        Command.ok(served, "git", "clone", "-q", plain.dir().toString(), "twin");
        // a clone of a git-annex repository takes its uuid only when told to
        Command.ok(served.resolve("twin"), "git", "config", "annex.uuid", plain.uuid());

        await().atMost(DISCOVERY).until(() -> refusedDuplicates() == 1);
        assertThat(List.of(checkpresent(plain.uuid()), checkpresent(bare.uuid()))).containsExactly(200, 200);
        String seed = plain.key("seed.txt");
        assertThat(new RawApi(server, plain.uuid()).checkpresent(seed).text()).contains("true");
    }

    @Test
    void aDuplicateUuidIsReportedOnceHoweverOftenTheDirectoryIsRescanned(CapturedOutput output) {
        Command.ok(served, "git", "clone", "-q", plain.dir().toString(), "twin");
        Command.ok(served.resolve("twin"), "git", "config", "annex.uuid", plain.uuid());
        await().atMost(DISCOVERY).until(() -> refusedDuplicates() == 1);

        // two more rescans, each seen to have happened by a new repository being served
        for (String name : List.of("later-1", "later-2")) {
            AnnexRepo later = AnnexRepo.init(served, name);
            await().atMost(DISCOVERY).until(() -> checkpresent(later.uuid()) == 200);
        }

        assertThat(output.getAll().split("refusing " + served.resolve("twin"), -1)).hasSize(2);
        assertThat(refusedDuplicates()).isEqualTo(1);
    }
}
