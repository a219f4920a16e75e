package io.annexgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Keys;
import io.annexgate.testing.RawApi;
import io.annexgate.testing.RawHttp;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request refused before its body is read (no permission, bad input) is answered at once, and
 * what the client still sends is read afterwards, as git-annex's server does: the client gets the
 * answer whether it reads it before or after ending its body, and keeps its connection.
 */
class RefusedBodyTest {

    @TempDir
    static Path tmp;

    static AnnexRepo served;
    static AnnexgateServer server;
    static String helloKey;

    @BeforeAll
    static void start() {
        served = AnnexRepo.init(tmp, "served");
        helloKey = served.add("hello.txt", "hello\n".getBytes(StandardCharsets.UTF_8));
        server = AnnexgateServer.serve(served.dir(), "--unauth-readonly", "--unauth-nolocking");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private String path(String endpoint, String query) {
        return "/git-annex/" + served.uuid() + "/v4/" + endpoint + "?clientuuid=" + RawApi.CLIENT + "&" + query;
    }

    private String getHello() {
        return "GET /git-annex/" + served.uuid() + "/v4/key/" + helloKey + "?clientuuid=" + RawApi.CLIENT
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }

    @Test
    void aRefusedKeeplockedIsAnsweredBeforeItsBodyEndsAndTheConnectionStays() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            out.write(("POST " + path("keeplocked", "lockid=" + Keys.sha256e("no lock")) + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // nothing of the body sent yet: the refusal comes anyway
            assertThat(RawHttp.responseOn(in)).startsWith("HTTP/1.1 403");
            byte[] line = "{\"unlock\":true}\n".getBytes(StandardCharsets.US_ASCII);
            out.write((Integer.toHexString(line.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(line);
            out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(getHello().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(RawHttp.responseOn(in)).startsWith("HTTP/1.1 200").endsWith("hello\n");
        }
    }

    @Test
    void aRefusedPutSentInFullGetsItsAnswerAndKeepsTheConnection() throws IOException {
        byte[] content = new byte[3_000_000];
        String key = Keys.sha256e(content, ".bin");
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            out.write(("POST " + path("put", "key=" + key) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/octet-stream\r\nX-git-annex-data-length: " + content.length
                    + "\r\nContent-Length: " + content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.write(getHello().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(RawHttp.responseOn(in)).startsWith("HTTP/1.1 403");
            assertThat(RawHttp.responseOn(in)).startsWith("HTTP/1.1 200").endsWith("hello\n");
        }
    }
}
