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
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The body of an API request is never read as a form, whatever its Content-Type says: a put stores
 * it as the content, a keeplocked reads it as its unlock messages, and parameters come from the
 * query string alone. curl's default form type, text/plain, multipart and no type at all all work.
 */
class AnyContentTypeTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    @TempDir
    static Path tmp;

    static AnnexRepo served;
    static AnnexgateServer server;
    static RawApi api;

    @BeforeAll
    static void start() {
        served = AnnexRepo.init(tmp, "served");
        server = AnnexgateServer.serve(served.dir(), "--wideopen");
        api = new RawApi(server, served.uuid());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aPutIsStoredWhateverItsContentType() throws IOException {
        String[] types = {FORM, FORM + "; charset=UTF-8", "text/plain", null, "multipart/form-data; boundary=x"};
        for (int i = 0; i < types.length; i++) {
            byte[] content = new byte[3000];
            new Random(i).nextBytes(content);
            assertStoredAsSent(types[i], content);
        }
        // a body that reads as a form, with fields named like the query's: still only content
        assertStoredAsSent(FORM, ("key=" + Keys.sha256e("other") + "&clientuuid=x&offset=5").getBytes(StandardCharsets.US_ASCII));
    }

    private static void assertStoredAsSent(String contentType, byte[] content) throws IOException {
        String key = Keys.sha256e(content, ".bin");
        String head = "POST " + api.path("v4", "put", RawApi.query("key", key, "clientuuid", RawApi.CLIENT)) + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n" + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "X-git-annex-data-length: " + content.length + "\r\nContent-Length: " + content.length + "\r\n\r\n";
        String answer = exchange(head, content);
        assertThat(answer).as("put with Content-Type %s", contentType)
                .startsWith("HTTP/1.1 200").endsWith("{\"plusuuids\":[],\"stored\":true}");
        assertThat(api.get("v4", key).body()).as("object stored from a put with Content-Type %s", contentType)
                .isEqualTo(content);
    }

    @Test
    void parametersComeFromTheQueryStringNotFromAFormBody() throws IOException {
        byte[] form = ("key=" + Keys.sha256e("form field") + "&clientuuid=" + RawApi.CLIENT).getBytes(StandardCharsets.US_ASCII);
        String head = "POST " + api.path("v4", "checkpresent", "") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: " + FORM + "\r\nContent-Length: " + form.length + "\r\n\r\n";
        assertThat(exchange(head, form)).startsWith("HTTP/1.1 400").endsWith("Query parameter key is required");
    }

    @Test
    void aKeeplockedWithAFormContentTypeReadsItsUnlockMessages() throws IOException {
        byte[] content = "kept under a form type\n".getBytes(StandardCharsets.UTF_8);
        String key = Keys.sha256e(content, ".txt");
        assertThat(api.put("v4", key, content, content.length).text()).contains("\"stored\":true");
        String lockId = api.post("v4", "lockcontent", "key", key, "clientuuid", RawApi.CLIENT).text()
                .replaceAll(".*\"lockid\":\"([^\"]+)\".*", "$1");
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            out.write(("POST " + api.path("v4", "keeplocked", RawApi.query("lockid", lockId, "clientuuid", RawApi.CLIENT))
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + FORM + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            chunk(out, "{\"unlock\":false}\n");
            assertThat(api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text())
                    .as("the lock is held while the body stays open").contains("\"removed\":false");
            chunk(out, "{\"unlock\":true}\n");
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(RawHttp.responseOn(in)).startsWith("HTTP/1.1 200").endsWith("{\"locked\":false}");
        }
        assertThat(api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text())
                .as("the unlock was read, so the lock is gone").contains("\"removed\":true");
    }

    private static void chunk(OutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One request over its own connection: the head, then the body as given; the answer as text. */
    private static String exchange(String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return RawHttp.responseOn(new BufferedInputStream(socket.getInputStream()));
        }
    }
}
