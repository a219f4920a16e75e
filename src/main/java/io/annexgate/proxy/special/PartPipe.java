package io.annexgate.proxy.special;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * Hands one part's bytes from the writer to the UploadPart reading them: a few chunks in
 * flight at most. The writer is never left waiting on a reader that has gone (failed); a reader
 * whose writer abandoned the upload gets an error, so the part never completes.
 */
final class PartPipe {

    private static final int CHUNKS_IN_FLIGHT = 4;
    private static final byte[] END = new byte[0];
    private static final byte[] ABANDONED = new byte[0];
    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(CHUNKS_IN_FLIGHT + 1);
    private volatile boolean readerGone;
    private boolean opened;

    /** The part's body: one stream; the SDK asking again (a retry) fails the part. */
    ContentStreamProvider provider() {
        return () -> {
            synchronized (this) {
                if (opened) {
                    throw new IllegalStateException("a streamed part cannot be sent again");
                }
                opened = true;
            }
            return new Reader();
        };
    }

    void put(byte[] chunk, CompletableFuture<?> part) throws IOException {
        offer(chunk, part);
    }

    void finish(CompletableFuture<?> part) throws IOException {
        offer(END, part);
    }

    private void offer(byte[] chunk, CompletableFuture<?> part) throws IOException {
        try {
            while (!chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                if (readerGone || part.isDone()) {
                    throw new IOException("the part upload ended early", part.isCompletedExceptionally()
                            ? part.exceptionNow() : null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while storing");
        }
    }

    /** The writer gave up: the reader fails instead of completing the part. */
    void abandon() {
        chunks.clear();
        chunks.offer(ABANDONED);
    }

    void readerGone() {
        readerGone = true;
        chunks.clear();
    }

    private final class Reader extends InputStream {
        private byte[] chunk = new byte[0];
        private int at;
        private boolean ended;

        private boolean next() throws IOException {
            while (!ended && at == chunk.length) {
                byte[] c;
                try {
                    c = chunks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
                if (c == ABANDONED) {
                    chunks.offer(ABANDONED);
                    throw new IOException("upload abandoned");
                }
                if (c == END) {
                    ended = true;
                } else {
                    chunk = c;
                    at = 0;
                }
            }
            return !ended || at < chunk.length;
        }

        @Override
        public int read() throws IOException {
            if (!next()) {
                return -1;
            }
            return chunk[at++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!next()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - at);
            System.arraycopy(chunk, at, b, off, n);
            at += n;
            return n;
        }
    }
}
