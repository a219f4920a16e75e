package io.annexgate.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Command;
import io.annexgate.testing.RawApi;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference server's stall, reduced for CI: a real {@code git annex get -J20} of many files,
 * killed twice part-way and run again, while a couple of hundred other clients hold locks with
 * keeplocked long polls. Every file arrives, and afterwards no transfer or lock is left hanging.
 * The full form (1,000 files of 1 MiB, 1,000 polls) is the same test with
 * {@code -Dstall.files=1000 -Dstall.size=1048576 -Dstall.polls=1000}.
 */
class InterruptedClientsTest {

    private static final int FILES = Integer.getInteger("stall.files", 120);
    private static final int SIZE = Integer.getInteger("stall.size", 32 * 1024);
    private static final int POLLS = Integer.getInteger("stall.polls", 200);

    @TempDir
    Path tmp;

    @Test
    void aParallelGetKilledAndRestartedGetsEveryFileWhileLocksAreHeld() throws Exception {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        Random random = new Random(20);
        Path files = Files.createDirectories(served.dir().resolve("files"));
        for (int i = 0; i < FILES; i++) {
            byte[] content = new byte[SIZE];
            random.nextBytes(content);
            Files.write(files.resolve("f" + i + ".bin"), content);
        }
        served.annex("add", "-q", "files");
        served.git("commit", "-q", "-m", "files");
        List<String> keys = served.annex("find", "--format=${key}\\n", "files").lines().toList();
        assertThat(keys).hasSize(FILES);

        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--wideopen",
                "--lockedfiles=" + (POLLS + 10))) {
            RawApi api = new RawApi(server, served.uuid());
            CountDownLatch unlock = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
            for (int i = 0; i < POLLS; i++) {
                String lockId = api.post("v4", "lockcontent", "key", keys.get(i % keys.size()),
                        "clientuuid", RawApi.CLIENT).lockId();
                polls.add(api.keepLocked(lockId, () -> new HeldUntil(unlock)));
            }

            AnnexRepo client = AnnexRepo.cloneOf(served, tmp, "client", server.annexUrl());
            for (int cutAt : new int[] {FILES / 5, FILES / 2}) {
                Process get = start(client, "get", "-J20", "-q", "--from", "origin", "files");
                await().atMost(Duration.ofMinutes(5)).until(() -> objects(client) >= cutAt || !get.isAlive());
                // SIGKILL, as an impatient user's kill -9 or a crashed laptop: git, git-annex and its children
                get.descendants().forEach(ProcessHandle::destroyForcibly);
                get.destroyForcibly();
                get.waitFor();
            }
            Command.Result last = client.tryAnnex("get", "-J20", "-q", "--from", "origin", "files");
            assertThat(last.ok()).as(last.output()).isTrue();
            assertThat(objects(client)).isEqualTo(FILES);
            Command.Result fsck = client.tryAnnex("fsck", "-q", "files");
            assertThat(fsck.ok()).as(fsck.output()).isTrue();

            await().atMost(Duration.ofMinutes(1)).until(() ->
                    AnnexgateServer.sum(server.prometheus(), "annexgate_transfers_in_flight", "") == 0);
            assertThat(AnnexgateServer.sum(server.prometheus(), "annexgate_locks_held{", "")).isEqualTo(POLLS);
            unlock.countDown();
            for (CompletableFuture<HttpResponse<String>> poll : polls) {
                assertThat(poll.get().statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofMinutes(1)).until(() ->
                    AnnexgateServer.sum(server.prometheus(), "annexgate_locks_held{", "") == 0);
        }
    }

    private static Process start(AnnexRepo client, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "annex"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(client.dir().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(Command.environment());
        return builder.start();
    }

    private static long objects(AnnexRepo repo) throws IOException {
        Path objects = repo.dir().resolve(".git/annex/objects");
        if (!Files.isDirectory(objects)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(objects)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".bin")).count();
        }
    }

    /** A keeplocked body that says nothing until {@code unlock} opens, then asks to unlock. */
    private static final class HeldUntil extends InputStream {
        private final CountDownLatch unlock;
        private InputStream line;

        HeldUntil(CountDownLatch unlock) {
            this.unlock = unlock;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (line == null) {
                try {
                    unlock.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                line = new ByteArrayInputStream("{\"unlock\":true}\n".getBytes(StandardCharsets.UTF_8));
            }
            return line.read(b, off, len);
        }
    }
}
