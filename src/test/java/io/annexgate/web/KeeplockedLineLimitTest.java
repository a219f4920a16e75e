package io.annexgate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Keys;
import io.annexgate.testing.RawApi;
import io.annexgate.testing.RawHttp;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keeplocked body line is held only up to {@code annexgate.keeplocked.max-line} (64 KiB): a
 * client sending more without a newline gets 413 and the lock it kept is released at once.
 */
class KeeplockedLineLimitTest {

    private static final int TEN_MB = 10 * 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void aTenMegabyteLineWithoutNewlineIsRefusedAndTheLockReleased() throws Exception {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        String key = served.add("held.txt", "held\n".getBytes(StandardCharsets.UTF_8));
        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--wideopen")) {
            RawApi api = new RawApi(server, served.uuid());
            MeterRegistry meters = server.bean(MeterRegistry.class);
            String lockId = api.post("v4", "lockcontent", "key", key, "clientuuid", RawApi.CLIENT).lockId();
            assertThat(locksHeld(meters)).isEqualTo(1);

            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream());
                out.write(("POST " + api.path("v4", "keeplocked", RawApi.query("lockid", lockId)) + " HTTP/1.1\r\n"
                        + "Host: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " + TEN_MB + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write("{\"unlock\":false}\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread writer = Thread.ofVirtual().start(() -> sendLine(out, TEN_MB - 17));
                String answer = RawHttp.responseOn(in);
                assertThat(answer).startsWith("HTTP/1.1 413").endsWith("keeplocked line longer than 65536 bytes");
                writer.join();
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> locksHeld(meters) == 0);
            assertThat(meters.get("annexgate.keeplocked.refused").tag("reason", "line_too_long").counter().count())
                    .isEqualTo(1);
            assertThat(api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text())
                    .as("the lock is gone, so is its retention").contains("\"removed\":true");
        }
    }

    /** {@code n} bytes of one line with no newline, as fast as the server takes them; a closed connection ends it. */
    private static void sendLine(OutputStream out, int n) {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        try {
            for (int sent = 0; sent < n; sent += chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, n - sent));
            }
            out.flush();
        } catch (IOException e) {
            // the server may close once it has answered
        }
    }

    private static double locksHeld(MeterRegistry meters) {
        return meters.get("annexgate.locks.held").gauge().value();
    }
}
