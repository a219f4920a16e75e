package io.annexgate.web;

import java.io.IOException;
import java.io.InputStream;

/**
 * What is left of a put's body once the target has answered. A target that has the key already (or
 * refuses the put) answers without reading the body; if the server then closed the connection under
 * a client still sending, the client would see a broken pipe instead of the answer (git-annex's own
 * server reads the rest). So the rest is read and dropped, up to what the put announced plus a
 * little, beyond which the connection is closed as usual.
 */
final class UnreadBody {

    /** Slack for a client whose body runs past its announced length. */
    static final long SLACK = 64 * 1024;

    private UnreadBody() {
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
