package io.annexgate.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.Keys;
import io.annexgate.testing.RawApi;
import io.annexgate.testing.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients mixing every kind of request against a server in its own process, bounded by a
 * number of requests: no request fails, and afterwards the server holds no more file descriptors,
 * threads, transfers or locks than before. CI runs a reduced form; the full form is
 * {@code scripts/test -Dtest=SoakTest -Dsoak.clients=64 -Dsoak.requests=200000} (see README).
 */
class SoakTest {

    private static final int CLIENTS = Integer.getInteger("soak.clients", 64);
    private static final int REQUESTS = Integer.getInteger("soak.requests", 3000);
    private static final int STORED_KEYS = 40;
    private static final int CHURN_KEYS = 20;

    @TempDir
    Path tmp;

    @Test
    void mixedRequestsFromManyClientsFailNoneAndLeakNothing() throws Exception {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        List<String> stored = new ArrayList<>();
        List<byte[]> churnContent = new ArrayList<>();
        List<String> churn = new ArrayList<>();
        for (int i = 0; i < STORED_KEYS + CHURN_KEYS; i++) {
            byte[] content = ("soak " + i + "\n").repeat(200 + i * 37).getBytes(StandardCharsets.UTF_8);
            if (i < STORED_KEYS) {
                stored.add(Keys.sha256e(content, ".txt"));
                served.add("f" + i + ".txt", content);
            } else {
                churn.add(Keys.sha256e(content, ".txt"));
                churnContent.add(content);
            }
        }
        try (ServerProcess server = ServerProcess.start(served.dir(), "--wideopen")) {
            RawApi api = new RawApi(server.baseUrl(), served.uuid());
            // warm up with the same concurrency, so thread pools have grown to what the load needs,
            // then take the baseline
            run(api, stored, churn, churnContent, CLIENTS * 15, new ConcurrentHashMap<>(), 1000);
            await().atMost(Duration.ofMinutes(1)).until(() -> idle(server));
            long fdsBefore = server.openFiles();
            long threadsBefore = server.status("Threads");
            long rssBefore = server.status("VmRSS");

            ConcurrentHashMap<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
            List<String> errors = run(api, stored, churn, churnContent, REQUESTS, outcomes, 1);
            assertThat(errors).as("failed requests").isEmpty();
            long total = outcomes.values().stream().mapToLong(AtomicLong::get).sum();
            assertThat(total).isGreaterThanOrEqualTo((long) REQUESTS / CLIENTS * CLIENTS);

            await().atMost(Duration.ofMinutes(1)).until(() -> idle(server));
            // the clients' connections are closed and the server lets go of them
            await().atMost(Duration.ofMinutes(1)).until(() -> server.openFiles() <= fdsBefore + 4);
            // pools that grew under the load (virtual-thread carriers, JIT compilers) shrink back
            // once idle; threads that stay are a leak
            try {
                await().atMost(Duration.ofMinutes(2)).until(() -> server.status("Threads") <= threadsBefore + 4);
            } catch (org.awaitility.core.ConditionTimeoutException stayed) {
                // the assertion below names them
            }
            long threadsAfter = server.status("Threads");
            long rssAfter = server.status("VmRSS");
            System.out.printf("soak: %d requests from %d clients %s; errors 0; fds %d -> %d; threads %d -> %d;"
                    + " RSS %d MiB -> %d MiB%n", total, CLIENTS, outcomes, fdsBefore, server.openFiles(),
                    threadsBefore, threadsAfter, rssBefore / 1024, rssAfter / 1024);
            assertThat(threadsAfter).as("threads now: %s", server.threadNames()).isLessThanOrEqualTo(threadsBefore + 4);
            // stored content is intact
            for (int i = 0; i < 3; i++) {
                assertThat(api.checkpresent(stored.get(i)).text()).contains("\"present\":true");
            }
        }
        assertThat(served.tryAnnex("fsck", "--quiet").ok()).isTrue();
    }

    /** {@code requests} random requests from {@link #CLIENTS} concurrent clients; answers what went wrong. */
    private static List<String> run(RawApi api, List<String> stored, List<String> churn, List<byte[]> churnContent,
            int requests, ConcurrentHashMap<String, AtomicLong> outcomes, int seed) throws Exception {
        List<String> errors = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<String>>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Random random = new Random(seed + c);
                running.add(clients.submit(() -> mix(api, stored, churn, churnContent, random, requests / CLIENTS, outcomes)));
            }
            for (Future<List<String>> f : running) {
                errors.addAll(f.get());
            }
        }
        return errors;
    }

    /** No transfer in flight and no lock held. */
    private static boolean idle(ServerProcess server) {
        String scrape = server.prometheus();
        return sum(scrape, "annexgate_transfers_in_flight") == 0 && sum(scrape, "annexgate_locks_held{") == 0;
    }

    private static double sum(String scrape, String prefix) {
        return scrape.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** One client's run of {@code count} random requests; answers what went wrong. */
    private static List<String> mix(RawApi api, List<String> stored, List<String> churn, List<byte[]> churnContent,
            Random random, int count, ConcurrentHashMap<String, AtomicLong> outcomes) {
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int pick = random.nextInt(100);
            String kind;
            RawApi.Response answer;
            try {
                if (pick < 35) {
                    kind = "checkpresent";
                    answer = api.checkpresent(stored.get(random.nextInt(stored.size())));
                } else if (pick < 60) {
                    kind = "get";
                    answer = api.get("v4", stored.get(random.nextInt(stored.size())));
                } else if (pick < 75) {
                    kind = "put";
                    int k = random.nextInt(churn.size());
                    byte[] content = churnContent.get(k);
                    answer = api.put("v4", churn.get(k), content, content.length);
                } else if (pick < 85) {
                    kind = "remove";
                    answer = api.post("v4", "remove", "key", churn.get(random.nextInt(churn.size())),
                            "clientuuid", RawApi.CLIENT);
                } else {
                    kind = "lock";
                    answer = api.post("v4", "lockcontent", "key", stored.get(random.nextInt(stored.size())),
                            "clientuuid", RawApi.CLIENT);
                    if (answer.text().contains("\"locked\":true")) {
                        int unlocked = api.unlock(answer.lockId()).statusCode();
                        if (unlocked != 200) {
                            errors.add("keeplocked " + unlocked);
                        }
                    }
                }
                outcomes.computeIfAbsent(kind, x -> new AtomicLong()).incrementAndGet();
                // a put refused while another upload of the same key runs is git-annex's own answer
                // (its transfer lock), not a failure
                boolean concurrentUpload = kind.equals("put") && answer.text().contains("transfer already in progress");
                if (answer.status() >= 400 && !concurrentUpload) {
                    errors.add(kind + " " + answer.status() + " " + answer.text());
                }
            } catch (Exception e) {
                errors.add(e.toString());
            }
        }
        return errors;
    }
}
