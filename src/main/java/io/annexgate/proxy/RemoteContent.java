package io.annexgate.proxy;

import io.annexgate.protocol.Key;
import io.annexgate.proxy.p2p.P2PConnection;
import io.annexgate.proxy.p2p.P2PConnection.Download;
import io.annexgate.proxy.p2p.Validity;
import io.annexgate.proxy.pool.ProxyConnectionPool.Lease;
import io.annexgate.repository.ByteSink;
import io.annexgate.service.ContentSource;
import io.annexgate.service.ProxyUnavailable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Content streamed from a proxied remote. The remote announces the length only after GET, so GET
 * is sent by {@link #lengthFrom}; the DATA bytes then pass through one chunk at a time, the last
 * chunk held back until the remote says whether the content was valid.
 */
final class RemoteContent implements ContentSource {

    private final Key key;
    private final Lease<P2PConnection> lease;
    private Download download;
    private long offset = -1;

    RemoteContent(Key key, Lease<P2PConnection> lease) {
        this.key = key;
        this.lease = lease;
    }

    @Override
    public long lengthFrom(long from) {
        if (download == null) {
            try {
                download = lease.connection().get(key, from);
            } catch (IOException e) {
                throw new ProxyUnavailable("GET from " + lease.connection().description() + " failed: "
                        + e.getMessage(), e);
            }
            offset = from;
        } else if (from != offset) {
            throw new IllegalStateException("GET was sent from " + offset + ", not " + from);
        }
        return download.length();
    }

    @Override
    public long transferTo(long from, ByteSink out, boolean signalInvalidity) throws IOException {
        lengthFrom(from);
        HoldBack relay = new HoldBack(out);
        Validity validity = download.transferTo(relay);
        if (validity == Validity.INVALID && signalInvalidity) {
            return relay.sent;
        }
        relay.flushHeld();
        return relay.sent;
    }

    @Override
    public boolean isLocal() {
        return false;
    }

    /** Returns the connection to the pool if the transfer finished, else closes it. */
    @Override
    public void close() {
        if (download != null) {
            download.close();
        }
        lease.close();
    }

    /** Passes bytes on, keeping the most recent write back until the validity is known. */
    private static final class HoldBack extends OutputStream {
        private final ByteSink out;
        private byte[] held = new byte[0];
        private int heldLength;
        private long sent;

        HoldBack(ByteSink out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            flushHeld();
            if (held.length < len) {
                held = new byte[len];
            }
            System.arraycopy(b, off, held, 0, len);
            heldLength = len;
        }

        void flushHeld() throws IOException {
            if (heldLength > 0) {
                out.write(ByteBuffer.wrap(held, 0, heldLength));
                sent += heldLength;
            }
            heldLength = 0;
        }
    }
}
