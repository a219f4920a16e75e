package io.annexgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.service.LocalRepositories;
import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.RawApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A served repository's state is opened by its first request and closed when idle, never while it holds a lock. */
class IdleRepositoryTest {

    @TempDir
    Path tmp;

    AnnexRepo repo;
    String key;
    AnnexgateServer server;
    LocalRepositories repositories;

    @BeforeEach
    void start() throws Exception {
        Path served = Files.createDirectories(tmp.resolve("served"));
        repo = AnnexRepo.init(served, "one");
        key = repo.add("kept.txt", "kept\n".getBytes(StandardCharsets.UTF_8));
        server = AnnexgateServer.serve(served, "--wideopen", "--directory=" + served,
                "--annexgate.close-idle-after=1s");
        repositories = server.bean(LocalRepositories.class);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private boolean open() {
        return repositories.isOpen(new AnnexUuid(repo.uuid()));
    }

    @Test
    void theStateIsOpenedByTheFirstRequestAndClosedWhenIdle() {
        assertThat(open()).as("open before any request").isFalse();

        assertThat(new RawApi(server, repo.uuid()).checkpresent(key).text()).contains("true");

        assertThat(open()).as("open after a request").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !open());
        assertThat(new RawApi(server, repo.uuid()).checkpresent(key).text()).contains("true");
        assertThat(open()).as("opened again by the next request").isTrue();
    }

    @Test
    void aRepositoryHoldingALockIsNotClosed() {
        RawApi api = new RawApi(server, repo.uuid());
        assertThat(api.post("v4", "lockcontent", "key", key, "clientuuid", RawApi.CLIENT).text()).contains("\"locked\":true");

        // idle for over the 1 s limit, sweep after sweep: still open, since it holds the lock
        long sweeps = repositories.idleSweeps();
        await().atMost(Duration.ofSeconds(30)).until(() -> repositories.idleSweeps() >= sweeps + 4);
        assertThat(open()).as("open while it holds a lock").isTrue();
    }
}
