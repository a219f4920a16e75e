package io.annexgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.RawApi;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every error the API answers is a short line of plain text with the right status, never an HTML
 * page: those Jetty answers before any controller runs (a request it cannot parse, a URI or headers
 * too long, a path it refuses) and those the servlet container's error dispatch answers, as well as
 * the controllers' own.
 */
class ErrorFormatTest {

    @TempDir
    static Path tmp;

    static AnnexRepo served;
    static AnnexgateServer server;
    static String key;

    @BeforeAll
    static void start() {
        served = AnnexRepo.init(tmp, "served");
        key = served.add("hello.txt", "hello\n".getBytes(StandardCharsets.UTF_8));
        server = AnnexgateServer.serveWith(new Class<?>[] {ErrorsOutsideControllers.class}, served.dir(), "--wideopen");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** An error status sent, and an exception thrown, outside the controllers: the container's error dispatch. */
    @Configuration(proxyBeanMethods = false)
    static class ErrorsOutsideControllers {
        @Bean
        FilterRegistrationBean<Filter> failingFilter() {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
                String path = ((HttpServletRequest) request).getRequestURI();
                if (path.endsWith("/send-error")) {
                    ((HttpServletResponse) response).sendError(409, "refused by a filter");
                } else if (path.endsWith("/throw")) {
                    throw new IllegalStateException("thrown by a filter, with details for the log only");
                } else {
                    chain.doFilter(request, response);
                }
            });
            registration.addUrlPatterns("/test-errors/*");
            return registration;
        }
    }

    private static String checkpresent() {
        return "/git-annex/" + served.uuid() + "/v4/checkpresent?key=" + key + "&clientuuid=" + RawApi.CLIENT;
    }

    private static String request(String line) {
        return line + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    }

    @Test
    void aNulInThePathIsAPlain400() throws IOException {
        assertPlain(send(request("POST /git-annex/" + served.uuid() + "/v4/checkpresent%00?key=" + key + " HTTP/1.1")), 400);
        assertPlain(send(request("GET /git-annex/" + served.uuid() + "/v4/key/SHA256E-s1--a%00b HTTP/1.1")), 400);
        assertPlain(send(request("GET /git-annex/" + served.uuid() + "/v4/key/SHA256E-s1--a\u0000b HTTP/1.1")), 400);
    }

    @Test
    void badPercentEncodingInThePathIsAPlain400() throws IOException {
        assertPlain(send(request("GET /git-annex/" + served.uuid() + "/v4/key/%zz HTTP/1.1")), 400);
        assertPlain(send(request("GET /git-annex/%2e%2e/%2e%2e/etc/passwd HTTP/1.1")), 400);
    }

    @Test
    void aUriTooLongIsAPlain414() throws IOException {
        assertPlain(send(request("POST " + checkpresent() + "&associatedfile=" + "a".repeat(20_000) + " HTTP/1.1")), 414);
    }

    @Test
    void headersTooLargeAreAPlain431() throws IOException {
        assertPlain(send("POST " + checkpresent() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n"), 431);
    }

    @Test
    void malformedRequestsAreAPlain400() throws IOException {
        assertPlain(send("GARBAGE\r\n\r\n"), 400);
        assertPlain(send("POST " + checkpresent() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nNot A Header\r\n\r\n"), 400);
        assertPlain(send("POST " + checkpresent() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: lots\r\n\r\n"), 400);
        assertPlain(send("POST " + checkpresent() + " HTTP/1.1\r\nConnection: close\r\n\r\n"), 400);
    }

    @Test
    void anUnknownHttpVersionIsAPlain505() throws IOException {
        assertPlain(send(request("POST " + checkpresent() + " HTTP/9.9")), 505);
    }

    @Test
    void errorsOfTheContainersErrorDispatchArePlainText() throws IOException {
        Answer sent = send(request("GET /test-errors/send-error HTTP/1.1"));
        assertPlain(sent, 409);
        assertThat(sent.body()).isEqualTo("refused by a filter");
        Answer thrown = send(request("GET /test-errors/throw HTTP/1.1"));
        assertPlain(thrown, 500);
        assertThat(thrown.body()).isEqualTo("internal error");
        Answer direct = send(request("GET /error HTTP/1.1"));
        assertThat(direct.status()).isEqualTo(404);
        assertThat(direct.body()).isEmpty();
    }

    @Test
    void theControllersOwnErrorsStayPlainTextWithoutAType() throws IOException {
        Answer missing = send(request("POST /git-annex/" + served.uuid() + "/v4/checkpresent?clientuuid=" + RawApi.CLIENT
                + " HTTP/1.1"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).isEqualTo("Query parameter key is required");
        assertThat(missing.header("content-type")).as("like the reference: no content type").isNull();
        Answer badQuery = send(request("POST /git-annex/" + served.uuid() + "/v4/checkpresent?key=%zz&clientuuid="
                + RawApi.CLIENT + " HTTP/1.1"));
        assertThat(badQuery.status()).isEqualTo(400);
        assertThat(badQuery.body()).startsWith("Error parsing query parameter key failed:");
        Answer notUtf8 = send(request("POST /git-annex/" + served.uuid() + "/v4/checkpresent?key=%ff&clientuuid="
                + RawApi.CLIENT + " HTTP/1.1"));
        assertThat(notUtf8.status()).isEqualTo(400);
        assertThat(notUtf8.body()).startsWith("Error parsing query parameter key failed:");
    }

    private static void assertPlain(Answer answer, int status) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.header("content-type")).as(answer.toString()).isNotNull()
                .satisfies(type -> assertThat(type.toLowerCase(Locale.ROOT)).startsWith("text/plain"));
        assertThat(answer.body()).as(answer.toString()).isNotBlank().hasSizeLessThan(120)
                .doesNotContain("<", "\n", "Exception", "at io.", "at org.");
    }

    /** A status line, headers (names in lower case) and body read off a connection the server closes. */
    record Answer(int status, String head, String body) {
        String header(String name) {
            return head.lines().skip(1).filter(l -> l.toLowerCase(Locale.ROOT).startsWith(name + ":"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse(null);
        }
    }

    private static Answer send(String raw) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = all.indexOf("\r\n\r\n");
            assertThat(end).as("a complete answer to %s: %s", raw.lines().findFirst().orElse(""), all).isPositive();
            String head = all.substring(0, end);
            return new Answer(Integer.parseInt(head.substring(9, 12)), head, all.substring(end + 4));
        }
    }
}
