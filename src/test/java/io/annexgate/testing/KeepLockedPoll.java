package io.annexgate.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A keeplocked long poll on its own socket, as the git-annex client holds one: a chunked body that
 * stays open, {@code {"unlock":false}} first, until {@link #unlock()}; or the connection dropped
 * abruptly ({@link #reset()}). Its answer is read as soon as the server sends it, even while the body
 * is still open.
 */
public final class KeepLockedPoll implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final CompletableFuture<String> answer = new CompletableFuture<>();

    private KeepLockedPoll(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        Thread.ofVirtual().name("keeplocked-poll-answer").start(() -> {
            try {
                answer.complete(RawHttp.responseOn(in));
            } catch (IOException | RuntimeException | AssertionError e) {
                answer.completeExceptionally(e);
            }
        });
    }

    /** Starts keeping {@code lockId} on {@code api}'s repository, at v4. */
    public static KeepLockedPoll start(AnnexgateServer server, RawApi api, String lockId) {
        try {
            KeepLockedPoll poll = new KeepLockedPoll(new Socket("127.0.0.1", server.port()));
            poll.out.write(("POST " + api.path("v4", "keeplocked", RawApi.query("lockid", lockId, "clientuuid",
                    RawApi.CLIENT)) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Connection: Keep-Alive\r\nKeep-Alive: timeout=1200\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            poll.line("{\"unlock\":false}");
            return poll;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void line(String json) throws IOException {
        byte[] line = (json + "\n").getBytes(StandardCharsets.US_ASCII);
        out.write((Integer.toHexString(line.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(line);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The server's answer (status line, headers and body), once it comes. */
    public CompletableFuture<String> answer() {
        return answer;
    }

    /** Sends {@code {"unlock":true}} and ends the body. */
    public void unlock() {
        try {
            line("{\"unlock\":true}");
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops the connection abruptly (a reset, not an orderly end of the body). */
    public void reset() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
