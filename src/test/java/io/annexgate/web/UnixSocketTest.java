package io.annexgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Command;
import io.annexgate.testing.Keys;
import io.annexgate.testing.RawApi;
import io.annexgate.testing.UnixSocketRelay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --socket}: the API on a Unix domain socket (jetty-unixdomain-server 12.1.14 on Boot's Jetty). */
class UnixSocketTest {

    @TempDir
    Path tmp;

    AnnexRepo served;
    Path socket;
    AnnexgateServer server;

    @BeforeEach
    void start() {
        served = AnnexRepo.init(tmp, "served");
        served.add("seed.txt", "seed\n".getBytes(StandardCharsets.UTF_8));
        socket = tmp.resolve("api.sock");
        server = AnnexgateServer.serve(served.dir(), "--wideopen", "--socket=" + socket);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Command.Result curl(String... args) {
        String[] cmd = new String[args.length + 5];
        cmd[0] = "curl";
        cmd[1] = "-s";
        cmd[2] = "--unix-socket";
        cmd[3] = socket.toString();
        cmd[4] = "-w\n%{http_code}";
        System.arraycopy(args, 0, cmd, 5, args.length);
        return Command.run(tmp, cmd);
    }

    @Test
    void answersRawRequestsOnTheSocketWithGroupReadWriteModeAndNoTcpPort() throws Exception {
        String key = served.key("seed.txt");
        String path = "http://localhost/git-annex/" + served.uuid() + "/v4/checkpresent?key=" + key
                + "&clientuuid=" + RawApi.CLIENT;

        Command.Result present = curl("-X", "POST", path);

        assertThat(present.ok()).isTrue();
        assertThat(present.output()).isEqualTo("{\"present\":true}\n200");
        assertThat(curl("http://localhost/git-annex/" + served.uuid() + "/v4/key/" + key).output()).isEqualTo("seed\n\n200");
        assertThat(curl("-X", "POST", "http://localhost/git-annex/00000000-0000-0000-0000-000000000000/v4/checkpresent?key="
                + Keys.sha256e("x") + "&clientuuid=" + RawApi.CLIENT).output()).endsWith("404");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
        assertThat(server.port()).as("no TCP listener for the API").isLessThanOrEqualTo(0);
    }

    @Test
    void theRealClientCopiesAndGetsThroughARelayToTheSocket() throws Exception {
        try (UnixSocketRelay relay = UnixSocketRelay.to(socket)) {
            AnnexRepo client = AnnexRepo.cloneOf(served, tmp, "client",
                    "annex+http://127.0.0.1:" + relay.port() + "/git-annex/");
            String key = client.add("via-socket.txt", "through the socket\n".getBytes(StandardCharsets.UTF_8));

            client.annex("copy", "--to", "origin", "via-socket.txt");
            assertThat(served.hasContent(key)).isTrue();

            client.annex("drop", "via-socket.txt");
            client.annex("get", "--from", "origin", "via-socket.txt");
            assertThat(Files.readString(client.dir().resolve("via-socket.txt"))).isEqualTo("through the socket\n");
        }
    }

    @Test
    void theSocketIsRemovedOnShutdown() {
        assertThat(socket).exists();

        server.close();

        assertThat(socket).doesNotExist();
    }
}
