package io.annexgate.service;

import io.annexgate.metrics.AnnexgateMetrics;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most {@code n} transfers at once, handed out in arrival order (a fair semaphore): a request
 * past the bound waits for a slot rather than failing. Unbounded when {@code n} is 0. A request
 * waiting here has nothing to read or write, so the HTTP idle timeout does not end it. Waits are
 * counted on the meters given ({@code annexgate_transfer_slot_waiting} and
 * {@code annexgate_transfer_slot_wait_seconds}).
 */
public final class TransferSlots {

    private static final Slot NONE = () -> { };

    private final Semaphore permits;
    private final AnnexgateMetrics.SlotWaits waits;

    TransferSlots(int n, AnnexgateMetrics.SlotWaits waits) {
        this.permits = n > 0 ? new Semaphore(n, true) : null;
        this.waits = waits;
    }

    /** No bound: every take returns at once. */
    public static TransferSlots unbounded() {
        return new TransferSlots(0, null);
    }

    /** A slot held until closed (closing again does nothing). */
    @FunctionalInterface
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /** A slot, once one is free and every request that asked before has had one. */
    public Slot take() throws InterruptedIOException {
        if (permits == null) {
            return NONE;
        }
        long start = System.nanoTime();
        try {
            // a timed tryAcquire keeps the fairness that the untimed one would bypass
            if (!permits.tryAcquire(0, TimeUnit.NANOSECONDS)) {
                waits.waiting().incrementAndGet();
                try {
                    permits.acquire();
                } finally {
                    waits.waiting().decrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a transfer slot");
        }
        waits.waited(System.nanoTime() - start);
        AtomicBoolean held = new AtomicBoolean(true);
        return () -> {
            if (held.getAndSet(false)) {
                permits.release();
            }
        };
    }
}
