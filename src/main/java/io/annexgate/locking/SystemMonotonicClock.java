package io.annexgate.locking;

/**
 * The JVM's monotonic clock. On Linux {@link System#nanoTime()} reads CLOCK_MONOTONIC, the clock
 * git-annex uses, so timestamps agree with a git annex p2phttp on the same host.
 */
public final class SystemMonotonicClock implements MonotonicClock {

    @Override
    public long nowSeconds() {
        return System.nanoTime() / 1_000_000_000L;
    }

    @Override
    public long nowNanos() {
        return System.nanoTime();
    }
}
