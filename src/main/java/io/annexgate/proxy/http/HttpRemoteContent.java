package io.annexgate.proxy.http;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.ApiVersion;
import io.annexgate.protocol.Key;
import io.annexgate.repository.ByteSink;
import io.annexgate.service.ContentSource;
import io.annexgate.service.ProxyUnavailable;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * Content streamed from a remote's API. The GET is sent by {@link #lengthFrom}, when the offset is
 * known; its body then passes through one chunk at a time. The remote signals invalid content by
 * sending fewer bytes than its {@code X-git-annex-data-length}; the last chunk is held back until
 * the body has ended, so that whatever is wrong with the body (short, long, broken off) reaches the
 * client as a short answer too.
 */
final class HttpRemoteContent implements ContentSource {

    private static final int CHUNK = 64 * 1024;

    private final P2pHttpRemote remote;
    private final ApiVersion version;
    private final Set<AnnexUuid> bypass;
    private final Key key;
    private HttpResponse<InputStream> response;
    private long length;
    private long offset = -1;

    HttpRemoteContent(P2pHttpRemote remote, ApiVersion version, Set<AnnexUuid> bypass, Key key) {
        this.remote = remote;
        this.version = version;
        this.bypass = bypass;
        this.key = key;
    }

    @Override
    public long lengthFrom(long from) {
        if (response == null) {
            String query = from > 0 ? remote.query(bypass, "offset", Long.toString(from)) : remote.query(bypass);
            HttpRequest request = remote.request(version, "key/" + P2pHttpUrl.encode(P2pHttpRemote.wire(key)), query)
                    .GET().timeout(P2pHttpRemote.TIMEOUT).build();
            try {
                HttpResponse<InputStream> answer = remote.send(request, HttpResponse.BodyHandlers.ofInputStream());
                remote.check(answer);
                String header = answer.headers().firstValue(P2pHttpRemote.DATA_LENGTH).orElse(null);
                if (header == null || !header.strip().matches("[0-9]{1,18}")) {
                    answer.body().close();
                    throw new ProxyUnavailable("remote " + remote.name() + " answered GET without a valid "
                            + P2pHttpRemote.DATA_LENGTH + " (" + header + ")");
                }
                length = Long.parseLong(header.strip());
                response = answer;
            } catch (IOException e) {
                throw remote.failed(e);
            }
            offset = from;
        } else if (from != offset) {
            throw new IllegalStateException("GET was sent from " + offset + ", not " + from);
        }
        return length;
    }

    @Override
    public long transferTo(long from, ByteSink out, boolean signalInvalidity) throws IOException {
        lengthFrom(from);
        byte[] held = new byte[CHUNK];
        byte[] reading = new byte[CHUNK];
        int heldLength = 0;
        long received = 0;
        long sent = 0;
        boolean broken = false;
        InputStream body = response.body();
        while (true) {
            int n;
            try {
                n = body.read(reading);
            } catch (IOException e) {
                broken = true;
                break;
            }
            if (n < 0) {
                break;
            }
            received += n;
            if (heldLength > 0) {
                sent += send(out, held, heldLength, length - sent);
            }
            byte[] swap = held;
            held = reading;
            reading = swap;
            heldLength = n;
        }
        boolean valid = !broken && received == length;
        if (valid || !signalInvalidity) {
            sent += send(out, held, heldLength, length - sent);
        }
        return sent;
    }

    /** Writes at most {@code room} of the {@code n} bytes; the count written. */
    private static long send(ByteSink out, byte[] chunk, int n, long room) throws IOException {
        int len = (int) Math.min(n, Math.max(0, room));
        if (len > 0) {
            out.write(ByteBuffer.wrap(chunk, 0, len));
        }
        return len;
    }

    @Override
    public boolean isLocal() {
        return false;
    }

    /** Closes the answer's body: a connection whose body was read to the end is reused, others are dropped. */
    @Override
    public void close() throws IOException {
        if (response != null) {
            response.body().close();
        }
    }
}
