package io.annexgate.locking;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.annexgate.protocol.LockId;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock registry in memory. Caffeine expires a lock {@link #RETENTION} after it was taken unless
 * a keeplocked request keeps it; when the keeping ends without an unlock the original deadline
 * applies again, so a dropped connection cannot shorten the promised retention.
 */
public final class CaffeineLockRegistry implements LockRegistry {

    private static final Logger log = LoggerFactory.getLogger(CaffeineLockRegistry.class);

    private final MonotonicClock clock;
    private final Duration retention;
    private final int limit;
    private final AtomicInteger held = new AtomicInteger();
    private final Cache<LockId, Entry> locks;

    /** A registered lock. */
    private static final class Entry {
        final Releasable lock;
        final long lockedAtNanos;
        volatile boolean kept;
        volatile boolean dropRetention = true;

        Entry(Releasable lock, long lockedAtNanos) {
            this.lock = lock;
            this.lockedAtNanos = lockedAtNanos;
        }
    }

    public CaffeineLockRegistry(MonotonicClock clock, int limit) {
        this(clock, limit, RETENTION, true);
    }

    CaffeineLockRegistry(MonotonicClock clock, int limit, Duration retention, boolean scheduled) {
        this.clock = clock;
        this.limit = limit;
        this.retention = retention;
        Caffeine<Object, Object> builder = Caffeine.newBuilder()
                .ticker(clock::nowNanos)
                .executor(Runnable::run);
        if (scheduled) {
            builder.scheduler(Scheduler.systemScheduler());
        }
        this.locks = builder
                .expireAfter(new Expiry<LockId, Entry>() {
                    @Override
                    public long expireAfterCreate(LockId id, Entry e, long now) {
                        return remaining(e, now);
                    }

                    @Override
                    public long expireAfterUpdate(LockId id, Entry e, long now, long current) {
                        return e.kept ? Long.MAX_VALUE : remaining(e, now);
                    }

                    @Override
                    public long expireAfterRead(LockId id, Entry e, long now, long current) {
                        return current;
                    }
                })
                .removalListener((LockId id, Entry e, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    if (e == null) {
                        return;
                    }
                    held.decrementAndGet();
                    try {
                        e.lock.release(e.dropRetention);
                    } catch (RuntimeException ex) {
                        log.warn("releasing lock {} failed: {}", id.value(), ex.toString());
                    }
                })
                .build();
    }

    private long remaining(Entry e, long now) {
        return Math.max(0, e.lockedAtNanos + retention.toNanos() - now);
    }

    @Override
    public Optional<LockId> register(Releasable lock) {
        int n;
        do {
            n = held.get();
            if (n >= limit) {
                return Optional.empty();
            }
        } while (!held.compareAndSet(n, n + 1));
        LockId id = LockId.random();
        locks.put(id, new Entry(lock, clock.nowNanos()));
        return Optional.of(id);
    }

    @Override
    public Optional<KeptLock> keep(LockId id) {
        Entry entry = locks.asMap().computeIfPresent(id, (k, e) -> {
            e.kept = true;
            return e;
        });
        if (entry == null) {
            return Optional.empty();
        }
        return Optional.of(new KeptLock() {
            @Override
            public void unlock() {
                locks.asMap().remove(id);
            }

            @Override
            public void abandon() {
                locks.asMap().computeIfPresent(id, (k, e) -> {
                    e.kept = false;
                    return e;
                });
                locks.cleanUp();
            }
        });
    }

    @Override
    public int held() {
        return held.get();
    }

    @Override
    public int limit() {
        return limit;
    }

    /** Runs pending expiries now (tests with a fake clock). */
    void cleanUp() {
        locks.cleanUp();
    }

    @Override
    public void shutdown() {
        locks.asMap().values().forEach(e -> e.dropRetention = false);
        locks.invalidateAll();
        locks.cleanUp();
    }
}
