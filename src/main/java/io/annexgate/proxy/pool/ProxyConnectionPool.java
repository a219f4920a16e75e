package io.annexgate.proxy.pool;

import io.annexgate.proxy.p2p.ReusableConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Idle connections to proxied remotes, kept between requests: at most {@code maxIdle} in all
 * ({@code --proxyconnections}), reused only for an identical {@link PoolKey}, newest first.
 * When a release makes the pool too big the connection idle longest is closed; finding it is
 * O(log n) (one ordered set by idle-since over all keys, a deque per key), unlike git-annex's
 * rebuild of the whole pool. Broken connections are closed, never pooled or handed out.
 */
public final class ProxyConnectionPool<C extends ReusableConnection> implements AutoCloseable {

    private final int maxIdle;
    private final ConnectionOpener<C> opener;
    private final ProxyPoolMetrics metrics;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<PoolKey, ArrayDeque<Idle<C>>> byKey = new HashMap<>();
    private final TreeSet<Idle<C>> byAge = new TreeSet<>(
            Comparator.<Idle<C>>comparingLong(Idle::since).thenComparingLong(Idle::sequence));
    private long sequence;
    private boolean closed;

    /** An idle connection and when it became idle; {@code sequence} orders equal times. */
    private record Idle<C>(C connection, PoolKey key, long since, long sequence) { }

    public ProxyConnectionPool(int maxIdle, ConnectionOpener<C> opener, ProxyPoolMetrics metrics, LongSupplier nanoClock) {
        if (maxIdle < 0) {
            throw new IllegalArgumentException("maxIdle " + maxIdle);
        }
        this.maxIdle = maxIdle;
        this.opener = opener;
        this.metrics = metrics;
        this.nanoClock = nanoClock;
    }

    public ProxyConnectionPool(int maxIdle, ConnectionOpener<C> opener, ProxyPoolMetrics metrics) {
        this(maxIdle, opener, metrics, System::nanoTime);
    }

    /**
     * A connection for {@code key}: the newest idle one that is not broken, else a new one.
     * Close the lease when the request is done; the connection goes back unless it broke.
     */
    public Lease<C> acquire(PoolKey key) throws IOException {
        long start = System.nanoTime();
        ProxyPoolMetrics.PerRemote m = metrics.of(key.remote());
        List<C> broken = new ArrayList<>();
        C found = null;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("pool closed");
            }
            ArrayDeque<Idle<C>> idle = byKey.get(key);
            while (found == null && idle != null && !idle.isEmpty()) {
                Idle<C> newest = idle.pollFirst();
                byAge.remove(newest);
                m.idle().decrementAndGet();
                if (newest.connection().isBroken()) {
                    broken.add(newest.connection());
                } else {
                    found = newest.connection();
                }
            }
            if (idle != null && idle.isEmpty()) {
                byKey.remove(key);
            }
        } finally {
            lock.unlock();
        }
        closeAll(broken);
        broken.forEach(c -> m.failedBroken().increment());
        if (found != null) {
            m.reused().increment();
        } else {
            try {
                found = opener.open(key);
            } catch (IOException | RuntimeException e) {
                m.failedOpen().increment();
                m.waited(System.nanoTime() - start);
                throw e;
            }
            m.created().increment();
        }
        m.active().incrementAndGet();
        m.waited(System.nanoTime() - start);
        return new Lease<>(this, key, found);
    }

    /** Takes a connection back after a request: pooled if it is usable, else closed. */
    void release(PoolKey key, C connection) {
        ProxyPoolMetrics.PerRemote m = metrics.of(key.remote());
        m.active().decrementAndGet();
        if (connection.isBroken()) {
            m.failedBroken().increment();
            connection.close();
            return;
        }
        List<Idle<C>> evicted = new ArrayList<>();
        boolean pooled = false;
        lock.lock();
        try {
            if (!closed && maxIdle > 0) {
                Idle<C> entry = new Idle<>(connection, key, nanoClock.getAsLong(), sequence++);
                byKey.computeIfAbsent(key, k -> new ArrayDeque<>()).addFirst(entry);
                byAge.add(entry);
                m.idle().incrementAndGet();
                pooled = true;
                while (byAge.size() > maxIdle) {
                    evicted.add(removeOldest());
                }
            }
        } finally {
            lock.unlock();
        }
        if (!pooled) {
            m.evicted().increment();
            connection.close();
        }
        evict(evicted);
    }

    /** Closes the connections idle for longer than {@code maxIdleTime}; returns how many. */
    public int evictIdleLongerThan(Duration maxIdleTime) {
        long cutoff = nanoClock.getAsLong() - maxIdleTime.toNanos();
        List<Idle<C>> evicted = new ArrayList<>();
        lock.lock();
        try {
            while (!byAge.isEmpty() && byAge.first().since() - cutoff < 0) {
                evicted.add(removeOldest());
            }
        } finally {
            lock.unlock();
        }
        evict(evicted);
        return evicted.size();
    }

    /** Unlinks the connection idle longest: the first of the age order, the last of its key's deque. */
    private Idle<C> removeOldest() {
        Idle<C> oldest = byAge.pollFirst();
        ArrayDeque<Idle<C>> sameKey = byKey.get(oldest.key());
        Idle<C> last = sameKey.pollLast();
        if (last != oldest) {
            throw new IllegalStateException("pool order corrupted");
        }
        if (sameKey.isEmpty()) {
            byKey.remove(oldest.key());
        }
        metrics.of(oldest.key().remote()).idle().decrementAndGet();
        return oldest;
    }

    private void evict(List<Idle<C>> evicted) {
        for (Idle<C> e : evicted) {
            metrics.of(e.key().remote()).evicted().increment();
            e.connection().close();
        }
    }

    private static <C extends ReusableConnection> void closeAll(List<C> connections) {
        connections.forEach(ReusableConnection::close);
    }

    /** Idle connections in all. */
    public int idleCount() {
        lock.lock();
        try {
            return byAge.size();
        } finally {
            lock.unlock();
        }
    }

    /** Idle connections for one key. */
    public int idleCount(PoolKey key) {
        lock.lock();
        try {
            ArrayDeque<Idle<C>> idle = byKey.get(key);
            return idle == null ? 0 : idle.size();
        } finally {
            lock.unlock();
        }
    }

    /** Closes every idle connection; connections still leased are closed when released. */
    @Override
    public void close() {
        List<Idle<C>> all;
        lock.lock();
        try {
            closed = true;
            all = new ArrayList<>(byAge);
            all.forEach(e -> metrics.of(e.key().remote()).idle().decrementAndGet());
            byAge.clear();
            byKey.clear();
        } finally {
            lock.unlock();
        }
        all.forEach(e -> e.connection().close());
    }

    /** A connection lent to one request. */
    public static final class Lease<C extends ReusableConnection> implements AutoCloseable {
        private final ProxyConnectionPool<C> pool;
        private final PoolKey key;
        private final C connection;
        private boolean returned;

        private Lease(ProxyConnectionPool<C> pool, PoolKey key, C connection) {
            this.pool = pool;
            this.key = key;
            this.connection = connection;
        }

        public C connection() {
            return connection;
        }

        public PoolKey key() {
            return key;
        }

        /** Gives the connection back: pooled unless it is broken. */
        @Override
        public synchronized void close() {
            if (!returned) {
                returned = true;
                pool.release(key, connection);
            }
        }
    }
}
