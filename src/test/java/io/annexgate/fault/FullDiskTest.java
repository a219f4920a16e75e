package io.annexgate.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Command;
import io.annexgate.testing.Keys;
import io.annexgate.testing.RawApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository on a small file system of its own (a tmpfs, mounted by the test; it needs root)
 * that fills up during a put, and that becomes read-only: the put is not stored, earlier objects
 * stay intact, and once there is room again the put resumes.
 */
class FullDiskTest {

    private static final int MIB = 1024 * 1024;

    @TempDir
    Path tmp;

    Path mount;

    @BeforeEach
    void mountSmallFileSystem() throws IOException {
        mount = Files.createDirectory(tmp.resolve("fs"));
        Command.Result mounted = Command.run(tmp, "mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mount.toString());
        assumeTrue(mounted.ok(), "mounting a tmpfs needs root: " + mounted.output());
    }

    @AfterEach
    void unmount() {
        Command.run(tmp, "umount", "-l", mount.toString());
    }

    @Test
    void aPutThatFillsTheDiskIsNotStoredAndResumesOnceThereIsRoom() throws Exception {
        AnnexRepo served = AnnexRepo.init(mount, "served");
        served.git("config", "annex.diskreserve", "0");
        byte[] small = bytes(64 * 1024, 1);
        String smallKey = Keys.sha256e(small, ".bin");
        byte[] large = bytes(8 * MIB, 2);
        String largeKey = Keys.sha256e(large, ".bin");
        Path staging = served.dir().resolve(".git/annex/tmp").resolve(largeKey);
        Path filler = mount.resolve("filler");

        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--wideopen")) {
            RawApi api = new RawApi(server, served.uuid());
            assertThat(api.put("v4", smallKey, small, small.length).text()).contains("\"stored\":true");

            String answer;
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + api.path("v4", "put", RawApi.query("key", largeKey, "clientuuid", RawApi.CLIENT))
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/octet-stream\r\n"
                        + "X-git-annex-data-length: " + large.length + "\r\nContent-Length: " + large.length
                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(large, 0, MIB);
                out.flush();
                await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(staging) && Files.size(staging) == MIB);
                fill(filler);
                out.write(large, MIB, large.length - MIB);
                out.flush();
                answer = readAll(socket.getInputStream());
            }
            assertThat(answer).startsWith("HTTP/1.1 200").contains("\"stored\":false");
            assertThat(api.checkpresent(largeKey).text()).contains("\"present\":false");
            assertThat(api.get("v4", smallKey).body()).isEqualTo(small);

            Files.delete(filler);
            long offset = Long.parseLong(api.post("v4", "putoffset", "key", largeKey, "clientuuid", RawApi.CLIENT)
                    .text().replaceAll("\\D+", " ").strip().split(" ")[0]);
            assertThat(offset).isBetween((long) MIB, (long) large.length);
            byte[] rest = Arrays.copyOfRange(large, (int) offset, large.length);
            assertThat(api.put("v4", largeKey, rest, rest.length, "offset", offset).text()).contains("\"stored\":true");
            assertThat(api.get("v4", largeKey).body()).isEqualTo(large);
        }
        assertThat(served.tryAnnex("fsck", "--quiet", "--key=" + largeKey).ok()).isTrue();
    }

    @Test
    void aReadOnlyRepositoryRefusesPutsAndStillServesWhatItHas() throws Exception {
        AnnexRepo served = AnnexRepo.init(mount, "served");
        byte[] present = bytes(4096, 3);
        String presentKey = Keys.sha256e(present, ".bin");
        byte[] refused = bytes(4096, 4);
        String refusedKey = Keys.sha256e(refused, ".bin");
        served.git("config", "annex.diskreserve", "0");
        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--wideopen")) {
            RawApi api = new RawApi(server, served.uuid());
            assertThat(api.put("v4", presentKey, present, present.length).text()).contains("\"stored\":true");
            assertThat(Command.run(tmp, "mount", "-o", "remount,ro", mount.toString()).ok()).isTrue();
            try {
                RawApi.Response put = api.put("v4", refusedKey, refused, refused.length);
                assertThat(put.status()).isEqualTo(200);
                assertThat(put.text()).contains("\"stored\":false");
                assertThat(api.checkpresent(refusedKey).text()).contains("\"present\":false");
                assertThat(api.get("v4", presentKey).body()).isEqualTo(present);
            } finally {
                Command.run(tmp, "mount", "-o", "remount,rw", mount.toString());
            }
        }
    }

    private static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Writes to {@code filler} until the file system is full. */
    private static void fill(Path filler) {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // no space left on device
        }
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
