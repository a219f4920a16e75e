package io.annexgate.repository;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;

/**
 * The direct buffers objects are read into on their way to a socket, reused across transfers:
 * at most {@code kept} are kept between transfers, so idle memory stays bounded, and a burst of
 * more concurrent transfers allocates more that are dropped when given back. The most recently
 * given back is taken first, while it is still warm in the caches.
 */
final class TransferBuffers {

    static final int SIZE = 512 * 1024;
    static final int KEPT = 32;

    /** The pool object contents are sent through. */
    static final TransferBuffers SHARED = new TransferBuffers(KEPT);

    private final BlockingDeque<ByteBuffer> free;

    TransferBuffers(int kept) {
        this.free = new LinkedBlockingDeque<>(kept);
    }

    ByteBuffer take() {
        ByteBuffer buffer = free.pollFirst();
        return buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(SIZE);
    }

    void give(ByteBuffer buffer) {
        free.offerFirst(buffer);
    }
}
