package io.annexgate.proxy.p2p;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The line serialization over a byte stream pair: one message per {@code \n}-terminated UTF-8
 * line (a {@code \r} before it is dropped, lines over 32 KiB are refused), raw bytes after DATA.
 */
public final class P2PWire {

    /** Longest line accepted, as git-annex's {@code getProtocolLine}. */
    public static final int MAX_LINE_BYTES = 32 * 1024;

    private static final int CHUNK = 64 * 1024;
    private static final int RELAY_CHUNK = 512 * 1024;

    private final InputStream in;
    private final OutputStream out;

    public P2PWire(InputStream in, OutputStream out) {
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, CHUNK);
        this.out = out instanceof BufferedOutputStream ? out : new BufferedOutputStream(out, CHUNK);
    }

    /** Sends one message and flushes. */
    public void send(P2PMessage message) throws IOException {
        write(message);
        out.flush();
    }

    /** Sends one message without flushing (a DATA header, say). */
    public void write(P2PMessage message) throws IOException {
        out.write(message.toLine().getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** Reads the next message; {@link EOFException} when the peer closed. */
    public P2PMessage receive() throws IOException {
        return P2PMessageParser.parse(readLine());
    }

    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(line.size() == 0 ? "connection closed" : "connection closed mid-line");
            }
            if (b == '\n') {
                break;
            }
            if (line.size() >= MAX_LINE_BYTES) {
                throw new P2PProtocolException("line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * Copies exactly {@code length} raw bytes from the peer to {@code sink}; {@link EOFException}
     * if the peer stops short. A failure of the sink is reported as {@link SinkFailure}.
     */
    public void receiveBytes(long length, OutputStream sink) throws IOException {
        // a pipe hands over at most its buffer's size per read; writing on only once a larger
        // buffer is full costs the sink (a client's connection) far fewer writes
        byte[] buf = new byte[(int) Math.min(RELAY_CHUNK, Math.max(length, 1))];
        long left = length;
        while (left > 0) {
            int want = (int) Math.min(buf.length, left);
            int filled = 0;
            while (filled < want) {
                int n = in.read(buf, filled, want - filled);
                if (n < 0) {
                    throw new EOFException("connection closed with " + (left - filled) + " of " + length
                            + " data bytes unread");
                }
                filled += n;
            }
            try {
                sink.write(buf, 0, filled);
            } catch (IOException e) {
                throw new SinkFailure(e);
            }
            left -= filled;
        }
    }

    /**
     * Sends exactly {@code length} raw bytes read from {@code source}; {@link SourceShortException}
     * if it ends first (the peer then still waits for bytes: the connection is unusable).
     */
    public void sendBytes(InputStream source, long length) throws IOException {
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(length, 1))];
        long left = length;
        while (left > 0) {
            int n;
            try {
                n = source.read(buf, 0, (int) Math.min(buf.length, left));
            } catch (IOException e) {
                throw new SourceShortException(left, e);
            }
            if (n < 0) {
                throw new SourceShortException(left, null);
            }
            out.write(buf, 0, n);
            left -= n;
        }
        out.flush();
    }

    /** Closing the pair, as the transport does when it closes. */
    void closeQuietly() {
        try {
            out.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            in.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Writing received data to the local sink failed (the HTTP client went away, say). */
    public static final class SinkFailure extends IOException {
        private static final long serialVersionUID = 1L;

        SinkFailure(IOException cause) {
            super("could not pass on received data: " + cause.getMessage(), cause);
        }
    }

    /** The local content source ended (or failed) before the announced length. */
    public static final class SourceShortException extends IOException {
        private static final long serialVersionUID = 1L;

        SourceShortException(long missing, IOException cause) {
            super("content ended " + missing + " bytes short of the announced DATA length", cause);
        }
    }
}
