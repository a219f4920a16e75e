package io.annexgate.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One client's upload relayed to several receivers at once (a cluster put streamed to its nodes,
 * as git-annex's proxy relays it): each chunk read from the client goes to every receiver still
 * reading, through a small bounded queue per receiver, so memory stays bounded and the upload moves
 * at the pace of the slowest receiver still taking it. A receiver that {@linkplain #abandon stops}
 * (it had the key, or failed) is left out from then on. Each receiver's stream ends where the
 * client's body ended, short or not, so each receiver judges a short body as it would a client's.
 */
final class BodyBroadcast {

    static final int CHUNK = 256 * 1024;
    static final int QUEUED_CHUNKS = 4;

    /** Marks the end of a receiver's stream. */
    private static final byte[] END = new byte[0];

    private final List<Receiver> receivers = new ArrayList<>();

    BodyBroadcast(int count) {
        for (int i = 0; i < count; i++) {
            receivers.add(new Receiver());
        }
    }

    /** The stream receiver {@code i} reads. */
    InputStream receiver(int i) {
        return receivers.get(i);
    }

    /** Receiver {@code i} reads no more: nothing more is queued for it. */
    void abandon(int i) {
        Receiver r = receivers.get(i);
        r.abandoned = true;
        r.queue.clear();
    }

    /**
     * Reads up to {@code length} bytes of {@code body} and hands each chunk to every receiver still
     * reading, then ends their streams; returns how many bytes the client sent (fewer than
     * {@code length} when it stopped first). Stops early when every receiver abandoned.
     */
    long relay(InputStream body, long length) throws InterruptedException {
        long total = 0;
        try {
            while (total < length && anyReading()) {
                byte[] chunk = new byte[(int) Math.min(CHUNK, length - total)];
                int n;
                try {
                    n = body.readNBytes(chunk, 0, chunk.length);
                } catch (IOException e) {
                    break;
                }
                if (n <= 0) {
                    break;
                }
                byte[] piece = n == chunk.length ? chunk : Arrays.copyOf(chunk, n);
                for (Receiver r : receivers) {
                    r.offer(piece);
                }
                total += n;
                if (n < chunk.length) {
                    break;
                }
            }
        } finally {
            for (Receiver r : receivers) {
                r.offer(END);
            }
        }
        return total;
    }

    private boolean anyReading() {
        return receivers.stream().anyMatch(r -> !r.abandoned);
    }

    /** One receiver's end: a queue of chunks read as a stream. */
    private static final class Receiver extends InputStream {
        private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
        private volatile boolean abandoned;
        private byte[] current;
        private int position;
        private boolean ended;

        /** Queues {@code chunk}, waiting for room while the receiver still reads. */
        void offer(byte[] chunk) throws InterruptedException {
            while (!abandoned) {
                if (queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        }

        /** The chunk being read, or null at the end. */
        private byte[] chunk() throws IOException {
            while (!ended && (current == null || position == current.length)) {
                try {
                    current = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted waiting for the client's upload");
                }
                position = 0;
                if (current == END) {
                    ended = true;
                }
            }
            return ended ? null : current;
        }

        @Override
        public int read() throws IOException {
            byte[] c = chunk();
            return c == null ? -1 : c[position++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            byte[] c = chunk();
            if (c == null) {
                return -1;
            }
            int n = Math.min(len, c.length - position);
            System.arraycopy(c, position, b, off, n);
            position += n;
            return n;
        }
    }
}
