package io.annexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.ProxiedRoundTrip;
import io.annexgate.testing.RawApi;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code annexgate.proxy.max-connections}: at most that many git-annex-shell processes serve one
 * proxied remote at once (counted among this JVM's children, the server running in it); more
 * requests wait their turn, and one that waits longer than {@code annexgate.proxy.max-connection-wait}
 * is answered 503. Held locks keep their connections, which makes the bound easy to reach.
 */
class ProxyConnectionLimitTest {

    @TempDir
    Path tmp;

    AnnexRepo r2;
    AnnexRepo served;
    String key;

    @BeforeEach
    void repositories() {
        r2 = AnnexRepo.init(tmp, "r2");
        key = r2.add("held.bin", ProxiedRoundTrip.bytes(10_000, 21));
        served = AnnexRepo.init(tmp, "served");
        served.git("remote", "add", "r2", "../r2");
        served.git("config", "remote.r2.annex-proxy", "true");
        served.annex("updateproxy");
    }

    /** git-annex-shell p2pstdio processes serving r2 that this JVM started and that still run. */
    private long shellsOnR2() {
        String dir = r2.dir().toString();
        return ProcessHandle.current().children().filter(p -> p.info().arguments()
                .map(args -> List.of(args).contains("p2pstdio") && List.of(args).contains(dir)).orElse(false)).count();
    }

    private double waiting(MeterRegistry meters) {
        return meters.get("annexgate.proxy.connections.waiting").tag("remote", r2.uuid()).gauge().value();
    }

    private static void unlock(RawApi api, String lockId) throws Exception {
        assertThat(api.keepLocked(lockId, () -> new ByteArrayInputStream("{\"unlock\":true}\n"
                .getBytes(StandardCharsets.UTF_8))).get().statusCode()).isEqualTo(200);
    }

    @Test
    void withTwoConnectionsAllowedFiveConcurrentRequestsNeverRunMoreThanTwoShells() throws Exception {
        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--wideopen",
                "--annexgate.proxy.max-connections=2");
                ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            RawApi api = new RawApi(server, r2.uuid());
            MeterRegistry meters = server.bean(MeterRegistry.class);
            String first = api.post("v4", "lockcontent", "key", key, "clientuuid", RawApi.CLIENT).lockId();
            String second = api.post("v4", "lockcontent", "key", key, "clientuuid", RawApi.CLIENT).lockId();
            assertThat(shellsOnR2()).isEqualTo(2);

            List<CompletableFuture<RawApi.Response>> checks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                checks.add(CompletableFuture.supplyAsync(() -> api.checkpresent(key), clients));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> waiting(meters) == 3);
            assertThat(shellsOnR2()).as("the two locks' shells, no more").isEqualTo(2);
            assertThat(meters.get("annexgate.proxy.connections.waited").tag("remote", r2.uuid()).counter().count())
                    .isEqualTo(3);

            unlock(api, first);
            unlock(api, second);
            for (CompletableFuture<RawApi.Response> check : checks) {
                assertThat(check.get().text()).isEqualTo("{\"present\":true}");
            }
            assertThat(waiting(meters)).isZero();
        }
    }

    @Test
    void aRequestWaitingLongerThanTheMaximumIsAnswered503() throws Exception {
        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--wideopen",
                "--annexgate.proxy.max-connections=1", "--annexgate.proxy.max-connection-wait=200ms")) {
            RawApi api = new RawApi(server, r2.uuid());
            MeterRegistry meters = server.bean(MeterRegistry.class);
            String lock = api.post("v4", "lockcontent", "key", key, "clientuuid", RawApi.CLIENT).lockId();

            RawApi.Response busy = api.checkpresent(key);
            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.text()).startsWith("remote r2 is busy: 1 connections to remote " + r2.uuid() + " are in use");
            assertThat(meters.get("annexgate.proxy.connections.failed").tag("remote", r2.uuid()).tag("stage", "wait")
                    .counter().count()).isEqualTo(1);

            unlock(api, lock);
            assertThat(api.checkpresent(key).text()).isEqualTo("{\"present\":true}");
        }
    }
}
