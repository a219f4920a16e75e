package io.annexgate.service;

import io.annexgate.locking.MonotonicClock;
import io.annexgate.repository.JournalCommitter;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits one repository's journal once changes have been quiet for a while (a second, as
 * upstream's p2phttp does), batching the changes of many requests into one commit; under a steady
 * stream of changes it still commits at least every {@code maxDelay}.
 */
final class DebouncedCommit {

    private static final Logger log = LoggerFactory.getLogger(DebouncedCommit.class);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final String name;
    private final JournalCommitter committer;
    private final ScheduledExecutorService timer;
    private final MonotonicClock clock;
    private final long quietNanos;
    private final long maxDelayNanos;
    private final Runnable onFailure;
    private final ReentrantLock committing = new ReentrantLock();
    private boolean dirty;
    private long dirtySinceNanos;
    private ScheduledFuture<?> scheduled;

    DebouncedCommit(String name, JournalCommitter committer, ScheduledExecutorService timer, MonotonicClock clock,
            Duration quiet, Duration maxDelay, Runnable onFailure) {
        this.name = name;
        this.committer = committer;
        this.timer = timer;
        this.clock = clock;
        this.quietNanos = quiet.toNanos();
        this.maxDelayNanos = maxDelay.toNanos();
        this.onFailure = onFailure;
    }

    /** A change was journalled: commit after the next quiet period. */
    synchronized void changed() {
        long now = clock.nowNanos();
        if (!dirty) {
            dirty = true;
            dirtySinceNanos = now;
        }
        long wait = Math.max(0, Math.min(quietNanos, dirtySinceNanos + maxDelayNanos - now));
        schedule(wait);
    }

    private synchronized void schedule(long waitNanos) {
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        if (timer.isShutdown()) {
            return;
        }
        scheduled = timer.schedule(() -> Thread.startVirtualThread(this::commitNow), waitNanos, TimeUnit.NANOSECONDS);
    }

    /** Whether no change waits to be committed and no commit is running. */
    synchronized boolean idle() {
        return !dirty && !committing.isLocked();
    }

    /** Commits now whatever is pending, waiting for it (at shutdown). */
    void flush() {
        synchronized (this) {
            if (scheduled != null) {
                scheduled.cancel(false);
                scheduled = null;
            }
        }
        commitNow();
    }

    private void commitNow() {
        committing.lock();
        try {
            synchronized (this) {
                if (!dirty) {
                    return;
                }
                dirty = false;
            }
            JournalCommitter.Outcome outcome = committer.commit();
            log.debug("journal of {}: {}", name, outcome);
        } catch (Exception e) {
            log.warn("cannot commit the journal of {} to the git-annex branch (retrying): {}", name, e.toString());
            onFailure.run();
            synchronized (this) {
                if (!dirty) {
                    dirty = true;
                    dirtySinceNanos = clock.nowNanos();
                }
                schedule(RETRY.toNanos());
            }
        } finally {
            committing.unlock();
        }
    }
}
