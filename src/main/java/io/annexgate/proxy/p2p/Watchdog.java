package io.annexgate.proxy.p2p;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fires once when a connection has been waiting on its peer longer than the timeout. Re-arming on
 * progress is one volatile write; at most one task per connection is scheduled at a time.
 */
final class Watchdog {

    private final ScheduledExecutorService scheduler;
    private final long timeoutNanos;
    private final Runnable onExpiry;
    private volatile long deadline;
    private volatile boolean armed;
    private ScheduledFuture<?> task;

    Watchdog(ScheduledExecutorService scheduler, long timeoutNanos, Runnable onExpiry) {
        this.scheduler = scheduler;
        this.timeoutNanos = timeoutNanos;
        this.onExpiry = onExpiry;
    }

    /** Starts (or restarts) the countdown. */
    void arm() {
        deadline = System.nanoTime() + timeoutNanos;
        armed = true;
        synchronized (this) {
            if (task == null) {
                task = scheduler.schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Progress was made: the countdown starts again. */
    void touch() {
        deadline = System.nanoTime() + timeoutNanos;
    }

    void disarm() {
        armed = false;
    }

    private void check() {
        synchronized (this) {
            task = null;
            if (!armed) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left > 0) {
                task = scheduler.schedule(this::check, left, TimeUnit.NANOSECONDS);
                return;
            }
            armed = false;
        }
        onExpiry.run();
    }
}
