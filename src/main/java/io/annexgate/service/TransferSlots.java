package io.annexgate.service;

import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;

/**
 * At most {@code n} transfers at once, handed out in arrival order (a fair semaphore): a request
 * past the bound waits for a slot rather than failing. Unbounded when {@code n} is 0.
 */
final class TransferSlots {

    private final Semaphore permits;

    TransferSlots(int n) {
        this.permits = n > 0 ? new Semaphore(n, true) : null;
    }

    /** A slot held until closed. */
    @FunctionalInterface
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    Slot take() throws InterruptedIOException {
        if (permits == null) {
            return () -> { };
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a transfer slot");
        }
        return permits::release;
    }
}
