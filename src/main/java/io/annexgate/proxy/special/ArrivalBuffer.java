package io.annexgate.proxy.special;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Bytes held in memory as they arrive, up to {@code limit}: memory is taken a chunk at a time
 * when bytes come to fill it, never by what a client announced, so a put announcing 5 MiB and
 * sending 10 bytes holds one small chunk. Writing past the limit fails.
 */
final class ArrivalBuffer extends OutputStream {

    /** The most taken at once; a chunk is smaller only when the limit leaves less room. */
    static final int CHUNK = 64 * 1024;

    private final long limit;
    private final List<byte[]> chunks = new ArrayList<>();
    private long size;
    private int lastUsed;

    ArrivalBuffer(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit " + limit);
        }
        this.limit = limit;
    }

    long limit() {
        return limit;
    }

    /** Bytes written. */
    long size() {
        return size;
    }

    /** Bytes of memory taken for them. */
    long allocated() {
        return chunks.stream().mapToLong(c -> c.length).sum();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len > limit - size) {
            throw new IOException("more than the announced " + limit + " bytes");
        }
        while (len > 0) {
            if (chunks.isEmpty() || lastUsed == chunks.getLast().length) {
                chunks.add(new byte[(int) Math.min(CHUNK, limit - size)]);
                lastUsed = 0;
            }
            byte[] last = chunks.getLast();
            int n = Math.min(len, last.length - lastUsed);
            System.arraycopy(b, off, last, lastUsed, n);
            lastUsed += n;
            size += n;
            off += n;
            len -= n;
        }
    }

    /** The bytes written so far, as a new stream each time (a retried request reads them again). */
    InputStream stream() {
        List<InputStream> parts = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            byte[] chunk = chunks.get(i);
            parts.add(new ByteArrayInputStream(chunk, 0, i == chunks.size() - 1 ? lastUsed : chunk.length));
        }
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    /** Lets go of the memory. */
    void clear() {
        chunks.clear();
        size = 0;
        lastUsed = 0;
    }
}
