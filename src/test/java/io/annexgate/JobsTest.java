package io.annexgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Keys;
import io.annexgate.testing.RawApi;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --jobs=N}: at most N transfers at once per repository; the others wait, then succeed. */
class JobsTest {

    @TempDir
    Path tmp;

    @Test
    void withOneJobASecondUploadWaitsForTheFirstAndThenSucceeds() throws Exception {
        AnnexRepo repo = AnnexRepo.init(tmp, "served");
        try (AnnexgateServer server = AnnexgateServer.serve(repo.dir(), "--wideopen", "--jobs=1");
                Socket slowClient = new Socket("127.0.0.1", server.port())) {
            RawApi api = new RawApi(server, repo.uuid());
            MeterRegistry meters = server.bean(MeterRegistry.class);
            byte[] slow = "the slow upload\n".getBytes(StandardCharsets.UTF_8);
            byte[] quick = "the quick upload\n".getBytes(StandardCharsets.UTF_8);

            // the first upload sends its headers and half its body, then holds
            OutputStream out = slowClient.getOutputStream();
            String path = api.path("v4", "put", RawApi.query("key", Keys.sha256e(slow, ".txt"), "clientuuid", RawApi.CLIENT));
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "X-git-annex-data-length: " + slow.length + "\r\nContent-Length: " + slow.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(Arrays.copyOf(slow, slow.length / 2));
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> uploadsInFlight(meters) == 1);

            CompletableFuture<RawApi.Response> second = CompletableFuture.supplyAsync(
                    () -> api.put("v4", Keys.sha256e(quick, ".txt"), quick, quick.length));
            await().atMost(Duration.ofSeconds(10)).until(() -> slotsWaiting(meters) == 1);
            assertThat(second).isNotDone();
            assertThat(uploadsInFlight(meters)).isEqualTo(1);

            out.write(Arrays.copyOfRange(slow, slow.length / 2, slow.length));
            out.flush();
            String firstAnswer = new String(slowClient.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(firstAnswer).contains("\"stored\":true");
            assertThat(second.join().text()).contains("\"stored\":true");
        }
    }

    private static double slotsWaiting(MeterRegistry meters) {
        return meters.get("annexgate.transfer.slot.waiting").tag("slots", "jobs").gauge().value();
    }

    private static double uploadsInFlight(MeterRegistry meters) {
        return meters.get("annexgate.transfers.in.flight").tag("direction", "upload").gauge().value();
    }
}
