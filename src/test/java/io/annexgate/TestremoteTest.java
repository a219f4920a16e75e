package io.annexgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Command;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** git-annex's own suite for a remote, {@code git annex testremote}, run against Annexgate. */
class TestremoteTest {

    @TempDir
    Path tmp;

    @Test
    void gitAnnexTestremotePassesAgainstTheServer() {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        served.add("seed.txt", "seed\n".getBytes(StandardCharsets.UTF_8));
        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--wideopen")) {
            AnnexRepo client = AnnexRepo.cloneOf(served, tmp, "client", server.annexUrl());
            Command.Result result = client.tryAnnex("testremote", "origin", "--size=300KiB");
            assertThat(result.output()).contains("tests passed").doesNotContain("FAIL");
            assertThat(result.ok()).as(result.output()).isTrue();
        }
    }
}
