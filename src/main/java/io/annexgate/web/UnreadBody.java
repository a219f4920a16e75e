package io.annexgate.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * What is left of a put's body once the target has answered. A target that has the key already (or
 * refuses the put) answers without reading the body; if the server then closed the connection under
 * a client still sending, the client would see a broken pipe instead of the answer (git-annex's own
 * server reads the rest). So the rest is read and dropped, up to what the put announced plus a
 * little, beyond which the connection is closed as usual. A refused request is answered first and
 * its body read afterwards ({@link #afterRefusal}), so a client reading the answer before it ends its
 * body (a keeplocked long poll) gets it at once.
 */
final class UnreadBody {

    /** Slack for a client whose body runs past its announced length. */
    static final long SLACK = 64 * 1024;

    private UnreadBody() {
    }

    /**
     * After a refusal or bad-request answer to a request that has a body: sends the answer now, then
     * reads and drops what the client still sends, up to its announced length (Content-Length, or
     * the put's data length) plus {@link #SLACK}.
     */
    static void afterRefusal(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean chunked = "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"));
        if (request.getContentLengthLong() <= 0 && !chunked) {
            return;
        }
        response.flushBuffer();
        discard(request.getInputStream(), Math.max(request.getContentLengthLong(), announcedDataLength(request)));
    }

    private static long announcedDataLength(HttpServletRequest request) {
        try {
            String header = request.getHeader("X-git-annex-data-length");
            return header == null ? 0 : Math.max(0, Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Reads and drops at most {@code announced + SLACK} further bytes of {@code body}. */
    static long discard(InputStream body, long announced) {
        long limit = announced > Long.MAX_VALUE - SLACK ? Long.MAX_VALUE : Math.max(0, announced) + SLACK;
        byte[] buffer = new byte[64 * 1024];
        long dropped = 0;
        try {
            while (dropped < limit) {
                int n = body.read(buffer, 0, (int) Math.min(buffer.length, limit - dropped));
                if (n < 0) {
                    break;
                }
                dropped += n;
            }
        } catch (IOException e) {
            // the client went away: nothing left to keep the connection for
        }
        return dropped;
    }
}
