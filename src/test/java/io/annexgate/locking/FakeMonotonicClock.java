package io.annexgate.locking;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A monotonic clock that moves only when a test says so. */
public final class FakeMonotonicClock implements MonotonicClock {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

    @Override
    public long nowSeconds() {
        return nanos.get() / 1_000_000_000L;
    }

    @Override
    public long nowNanos() {
        return nanos.get();
    }

    public void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
