package io.annexgate.repository;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The direct buffers objects are read into on their way to a socket, reused across transfers:
 * at most {@link #KEPT} are kept between transfers, so idle memory stays bounded, and a burst of
 * more concurrent transfers allocates more that are dropped when given back.
 */
final class TransferBuffers {

    static final int SIZE = 512 * 1024;
    static final int KEPT = 32;

    private static final BlockingQueue<ByteBuffer> FREE = new ArrayBlockingQueue<>(KEPT);

    private TransferBuffers() {
    }

    static ByteBuffer take() {
        ByteBuffer buffer = FREE.poll();
        return buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(SIZE);
    }

    static void give(ByteBuffer buffer) {
        FREE.offer(buffer);
    }
}
