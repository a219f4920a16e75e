package io.annexgate.locking;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.annexgate.protocol.LockId;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock registry in memory. Caffeine expires a lock {@link #RETENTION} after it was taken unless
 * a keeplocked request keeps it; when the keeping ends without an unlock the original deadline
 * applies again, so a dropped connection cannot shorten the promised retention. A lock is kept by
 * one keeplocked at a time, the latest: a retry takes it over from a request whose connection is
 * dead but not yet noticed, and that request's end then changes nothing.
 */
public final class CaffeineLockRegistry implements LockRegistry {

    private static final Logger log = LoggerFactory.getLogger(CaffeineLockRegistry.class);

    private final MonotonicClock clock;
    private final Duration retention;
    private final int limit;
    private final AtomicInteger held = new AtomicInteger();
    private final Cache<LockId, Entry> locks;

    /** A registered lock; {@code keeper} changes only inside the map's atomic operations. */
    private static final class Entry {
        final Releasable lock;
        final long lockedAtNanos;
        volatile Keeper keeper;
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
                        return e.keeper != null ? Long.MAX_VALUE : remaining(e, now);
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
                    Keeper keeper = e.keeper;
                    if (keeper != null) {
                        keeper.ended.complete(null);
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
        Keeper keeper = new Keeper(id);
        Keeper[] previous = new Keeper[1];
        Entry entry = locks.asMap().computeIfPresent(id, (k, e) -> {
            previous[0] = e.keeper;
            e.keeper = keeper;
            return e;
        });
        if (entry == null) {
            return Optional.empty();
        }
        if (previous[0] != null) {
            log.info("lock {} taken over by a new keeplocked", id.value());
            previous[0].ended.complete(null);
        }
        return Optional.of(keeper);
    }

    @Override
    public void lost(LockId id) {
        if (locks.asMap().remove(id) != null) {
            log.info("lock {} is gone underneath", id.value());
        }
    }

    /** One keeplocked request's keeping of a lock; it acts on the lock only while it is the entry's keeper. */
    private final class Keeper implements KeptLock {
        private final LockId id;
        private final CompletableFuture<Void> ended = new CompletableFuture<>();

        Keeper(LockId id) {
            this.id = id;
        }

        @Override
        public void unlock() {
            locks.asMap().computeIfPresent(id, (k, e) -> {
                if (e.keeper != this) {
                    return e;
                }
                e.keeper = null;
                return null;
            });
        }

        @Override
        public void abandon() {
            locks.asMap().computeIfPresent(id, (k, e) -> {
                if (e.keeper == this) {
                    e.keeper = null;
                }
                return e;
            });
            locks.cleanUp();
        }

        @Override
        public CompletionStage<Void> ended() {
            return ended;
        }
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
