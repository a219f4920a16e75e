package io.annexgate.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.RawApi;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale benchmark, not a test: runs only with {@code -Dannexgate.scale=N} (see
 * {@code scripts/bench-many-repositories}). Makes N minimal git-annex repositories below one
 * directory, serves it with {@code --directory}, and prints the time until a random repository
 * answers checkpresent and the heap per idle repository (heap after GC with N served minus with
 * none, over N). Prints numbers; asserts only that serving works.
 */
@EnabledIfSystemProperty(named = "annexgate.scale", matches = "\\d+")
class ManyRepositoriesBenchmark {

    @TempDir
    Path tmp;

    @Test
    void manyRepositories() throws Exception {
        int n = Integer.getInteger("annexgate.scale");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path top = Files.createDirectories(tmp.resolve("many"));

        long t0 = System.nanoTime();
        List<String> uuids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            uuids.add(minimalRepository(top.resolve(String.format("r%05d", i))));
        }
        double createSeconds = (System.nanoTime() - t0) / 1e9;

        long heapEmpty;
        try (AnnexgateServer server = AnnexgateServer.serve(empty, "--wideopen", "--directory=" + empty)) {
            heapEmpty = heapAfterGc();
        }

        Random random = new Random(42);
        String probe = uuids.get(random.nextInt(n));
        long start = System.nanoTime();
        try (AnnexgateServer server = AnnexgateServer.serve(empty, "--wideopen", "--directory=" + top)) {
            RawApi api = new RawApi(server, probe);
            int status = api.checkpresent("SHA256E-s1--" + "0".repeat(64)).status();
            double servingSeconds = (System.nanoTime() - start) / 1e9;
            assertThat(status).isEqualTo(200);
            long heapMany = heapAfterGc();
            System.out.printf("%nSCALE repositories=%d created_in=%.1fs time_to_serving=%.2fs heap_empty=%dMB"
                    + " heap_served=%dMB heap_per_idle_repository=%dB%n%n", n, createSeconds, servingSeconds,
                    heapEmpty >> 20, heapMany >> 20, (heapMany - heapEmpty) / n);
        }
    }

    /**
     * What {@code git init} and {@code git annex init} leave that the server reads: a config with
     * annex.uuid and annex.version, HEAD, objects, refs and the annex directory.
     */
    static String minimalRepository(Path dir) throws IOException {
        String uuid = UUID.randomUUID().toString();
        Path git = Files.createDirectories(dir.resolve(".git"));
        Files.createDirectories(git.resolve("objects"));
        Files.createDirectories(git.resolve("refs/heads"));
        Files.createDirectories(git.resolve("annex"));
        Files.writeString(git.resolve("HEAD"), "ref: refs/heads/main\n", StandardCharsets.UTF_8);
        Files.writeString(git.resolve("config"), """
                [core]
                \trepositoryformatversion = 0
                \tbare = false
                [annex]
                \tuuid = %s
                \tversion = 10
                """.formatted(uuid), StandardCharsets.UTF_8);
        return uuid;
    }

    private static long heapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
