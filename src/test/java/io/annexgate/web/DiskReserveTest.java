package io.annexgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Keys;
import io.annexgate.testing.RawApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A put that would eat into annex.diskreserve is not stored, as git-annex refuses it. */
class DiskReserveTest {

    @TempDir
    Path tmp;

    @Test
    void putsThatWouldLeaveLessThanTheReserveAreNotStored() {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        served.git("config", "annex.diskreserve", "1000 terabytes");
        byte[] content = "no room\n".getBytes(StandardCharsets.UTF_8);
        String key = Keys.sha256e(content, ".txt");
        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--wideopen")) {
            RawApi api = new RawApi(server, served.uuid());
            assertThat(api.put("v4", key, content, content.length).text()).isEqualTo("{\"plusuuids\":[],\"stored\":false}");
            assertThat(api.checkpresent(key).text()).contains("false");
        }
        served.git("config", "annex.diskreserve", "1 kB");
        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--wideopen")) {
            RawApi api = new RawApi(server, served.uuid());
            assertThat(api.put("v4", key, content, content.length).text()).contains("\"stored\":true");
        }
    }
}
