package io.annexgate.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keeps at most {@code cap} bytes of a stream, the first ones or the last ones, and counts them
 * all. Grows as bytes come, so a large cap costs nothing until it is used. Thread-safe: a drain
 * writes while the owner may read.
 */
final class BoundedSink {

    private final int cap;
    private final boolean keepLast;
    private byte[] kept = new byte[0];
    private int length;
    private long total;

    private BoundedSink(int cap, boolean keepLast) {
        if (cap < 0) {
            throw new IllegalArgumentException("cap " + cap);
        }
        this.cap = cap;
        this.keepLast = keepLast;
    }

    /** Keeps the first {@code cap} bytes. */
    static BoundedSink first(int cap) {
        return new BoundedSink(cap, false);
    }

    /** Keeps the last {@code cap} bytes. */
    static BoundedSink last(int cap) {
        return new BoundedSink(cap, true);
    }

    /** Reads {@code in} to its end on a virtual thread named {@code name}, keeping what fits; returns the thread. */
    Thread drain(InputStream in, String name) {
        return Thread.ofVirtual().name(name).start(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    accept(buffer, 0, n);
                }
            } catch (IOException ignored) {
                // the stream was closed under us: what was read is kept
            }
        });
    }

    synchronized void accept(byte[] bytes, int offset, int count) {
        total += count;
        if (keepLast) {
            keepLast(bytes, offset, count);
        } else {
            int taken = Math.min(count, cap - length);
            append(bytes, offset, taken);
        }
    }

    private void keepLast(byte[] bytes, int offset, int count) {
        int taken = Math.min(count, cap);
        int dropped = Math.max(0, length + taken - cap);
        if (dropped > 0) {
            System.arraycopy(kept, dropped, kept, 0, length - dropped);
            length -= dropped;
        }
        append(bytes, offset + count - taken, taken);
    }

    private void append(byte[] bytes, int offset, int count) {
        if (count <= 0) {
            return;
        }
        if (length + count > kept.length) {
            int grown = (int) Math.min(cap, Math.max(length + count, 2L * kept.length));
            kept = Arrays.copyOf(kept, grown);
        }
        System.arraycopy(bytes, offset, kept, length, count);
        length += count;
    }

    synchronized CapturedOutput captured() {
        return new CapturedOutput(new String(kept, 0, length, StandardCharsets.UTF_8), total, total > length);
    }
}
