package io.annexgate.proxy.pool;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.proxy.p2p.ReusableConnection;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Idle connections to proxied remotes, kept between requests: at most {@code maxIdle} in all
 * ({@code --proxyconnections}), reused only for an identical {@link PoolKey}, newest first.
 * When a release makes the pool too big the connection idle longest is closed; finding it is
 * O(log n) (one ordered set by idle-since over all keys, a deque per key), unlike git-annex's
 * rebuild of the whole pool. Broken connections are closed, never pooled or handed out.
 *
 * <p>At most {@code limits.perRemote()} connections to one remote are open at once, in use, idle
 * or being opened ({@code annexgate.proxy.max-connections}): each is a process (git-annex-shell,
 * ssh). A request that finds none free for its key and the remote at its bound closes an idle
 * connection of the remote's other keys in its place, else waits, in arrival order, for one to come
 * back or close; after {@code limits.maxWait()} it gives up with {@link ConnectionsExhausted}.
 */
public final class ProxyConnectionPool<C extends ReusableConnection> implements AutoCloseable {

    /**
     * @param perRemote connections open to one remote at once; 0 for no bound
     * @param maxWait how long a request waits for one when the remote has {@code perRemote} open
     */
    public record Limits(int perRemote, Duration maxWait) {

        public static final Limits NONE = new Limits(0, Duration.ZERO);

        public Limits {
            if (perRemote < 0 || maxWait.isNegative()) {
                throw new IllegalArgumentException("perRemote " + perRemote + ", maxWait " + maxWait);
            }
        }
    }

    /** No connection to the remote came free within the wait. */
    public static final class ConnectionsExhausted extends IOException {
        ConnectionsExhausted(String message) {
            super(message);
        }
    }

    private final int maxIdle;
    private final Limits limits;
    private final ConnectionOpener<C> opener;
    private final ProxyPoolMetrics metrics;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever a connection comes back, closes, or a waiter leaves. */
    private final Condition changed = lock.newCondition();
    private final Map<PoolKey, ArrayDeque<Idle<C>>> byKey = new HashMap<>();
    /** Per remote: connections open (in use, idle, being opened) and the requests waiting, oldest first. */
    private final Map<AnnexUuid, Remote> remotes = new HashMap<>();
    private final TreeSet<Idle<C>> byAge = new TreeSet<>(
            Comparator.<Idle<C>>comparingLong(Idle::since).thenComparingLong(Idle::sequence));
    private long sequence;
    private boolean closed;

    /** An idle connection and when it became idle; {@code sequence} orders equal times. */
    private record Idle<C>(C connection, PoolKey key, long since, long sequence) { }

    /** One remote's open connections and waiting requests (guarded by the pool's lock). */
    private static final class Remote {
        int open;
        final ArrayDeque<Object> waiting = new ArrayDeque<>();
    }

    public ProxyConnectionPool(int maxIdle, Limits limits, ConnectionOpener<C> opener, ProxyPoolMetrics metrics,
            LongSupplier nanoClock) {
        if (maxIdle < 0) {
            throw new IllegalArgumentException("maxIdle " + maxIdle);
        }
        this.maxIdle = maxIdle;
        this.limits = limits;
        this.opener = opener;
        this.metrics = metrics;
        this.nanoClock = nanoClock;
    }

    public ProxyConnectionPool(int maxIdle, Limits limits, ConnectionOpener<C> opener, ProxyPoolMetrics metrics) {
        this(maxIdle, limits, opener, metrics, System::nanoTime);
    }

    /**
     * A connection for {@code key}: the newest idle one that is not broken, else a new one, once the
     * remote has room for it (waiting for that at most {@code limits.maxWait()}). Close the lease
     * when the request is done; the connection goes back unless it broke.
     *
     * @throws ConnectionsExhausted when the remote stayed at its bound for the whole wait
     */
    public Lease<C> acquire(PoolKey key) throws IOException {
        long start = System.nanoTime();
        ProxyPoolMetrics.PerRemote m = metrics.of(key.remote());
        List<C> broken = new ArrayList<>();
        List<C> replaced = new ArrayList<>();
        C found;
        try {
            found = takeOrReserve(key, m, broken, replaced, start);
        } catch (IOException | RuntimeException e) {
            m.waited(System.nanoTime() - start);
            throw e;
        } finally {
            closeAll(replaced);
            closeAll(broken);
            if (!broken.isEmpty()) {
                forget(key.remote(), broken.size());
            }
        }
        if (found != null) {
            m.reused().increment();
        } else {
            try {
                found = opener.open(key);
            } catch (IOException | RuntimeException e) {
                forget(key.remote(), 1);
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

    /**
     * Under the lock: the newest usable idle connection for {@code key}, or null with a place
     * reserved for a new one. Idle connections found broken go to {@code broken}, their places
     * freed once they are closed; at the bound, an idle connection of another key goes to
     * {@code replaced}, its place taken by the new one (closed before that is opened).
     */
    private C takeOrReserve(PoolKey key, ProxyPoolMetrics.PerRemote m, List<C> broken, List<C> replaced,
            long start) throws IOException {
        Remote remote;
        Object waiter = null;
        lock.lock();
        try {
            remote = remotes.computeIfAbsent(key.remote(), r -> new Remote());
            while (true) {
                if (closed) {
                    throw new IllegalStateException("pool closed");
                }
                C idle = takeIdle(key, m, broken);
                if (idle != null) {
                    return idle;
                }
                if (!broken.isEmpty()) {
                    replaced.add(broken.removeLast());
                    return null;   // a broken connection of this key leaves, this takes its place
                }
                boolean first = waiter == null ? remote.waiting.isEmpty() : remote.waiting.peekFirst() == waiter;
                if (first && (limits.perRemote() == 0 || remote.open < limits.perRemote())) {
                    remote.open++;
                    return null;
                }
                if (first) {
                    Idle<C> other = oldestIdleOf(key.remote());
                    if (other != null) {
                        unlink(other);
                        m.evicted().increment();
                        replaced.add(other.connection());
                        return null;   // it leaves, this takes its place: open stays the same
                    }
                }
                if (waiter == null) {
                    waiter = new Object();
                    remote.waiting.addLast(waiter);
                    m.waiting().incrementAndGet();
                    m.waits().increment();
                }
                long left = limits.maxWait().toNanos() - (System.nanoTime() - start);
                if (left <= 0) {
                    m.failedWait().increment();
                    throw new ConnectionsExhausted(limits.perRemote() + " connections to remote " + key.remote().value()
                            + " are in use and none came free within " + limits.maxWait());
                }
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for a connection to "
                            + key.remote().value());
                }
            }
        } finally {
            if (waiter != null) {
                remote = remotes.get(key.remote());
                remote.waiting.remove(waiter);
                m.waiting().decrementAndGet();
                changed.signalAll();
            }
            lock.unlock();
        }
    }

    /** Under the lock: the newest idle connection for {@code key} that is not broken; broken ones go to {@code broken}. */
    private C takeIdle(PoolKey key, ProxyPoolMetrics.PerRemote m, List<C> broken) {
        ArrayDeque<Idle<C>> idle = byKey.get(key);
        C found = null;
        while (found == null && idle != null && !idle.isEmpty()) {
            Idle<C> newest = idle.pollFirst();
            byAge.remove(newest);
            m.idle().decrementAndGet();
            if (newest.connection().isBroken()) {
                broken.add(newest.connection());
                m.failedBroken().increment();
            } else {
                found = newest.connection();
            }
        }
        if (idle != null && idle.isEmpty()) {
            byKey.remove(key);
        }
        return found;
    }

    /** Under the lock: the connection to {@code remote} idle longest, whatever its key, or null. */
    private Idle<C> oldestIdleOf(AnnexUuid remote) {
        for (Idle<C> e : byAge) {
            if (e.key().remote().equals(remote)) {
                return e;
            }
        }
        return null;
    }

    /** {@code n} connections to {@code remote} closed (or never opened): places for as many waiters. */
    private void forget(AnnexUuid remote, int n) {
        lock.lock();
        try {
            remotes.get(remote).open -= n;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Takes a connection back after a request: pooled if it is usable, else closed. */
    void release(PoolKey key, C connection) {
        ProxyPoolMetrics.PerRemote m = metrics.of(key.remote());
        m.active().decrementAndGet();
        if (connection.isBroken()) {
            m.failedBroken().increment();
            connection.close();
            forget(key.remote(), 1);
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
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (!pooled) {
            m.evicted().increment();
            connection.close();
            forget(key.remote(), 1);
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

    /** Under the lock: removes the connection idle longest, to be closed ({@link #evict}). */
    private Idle<C> removeOldest() {
        Idle<C> oldest = byAge.first();
        unlink(oldest);
        return oldest;
    }

    /**
     * Under the lock: takes an idle connection out of the pool. It is the oldest of its key (the
     * last of its key's deque), since a key's connections go idle in the order of the age set.
     */
    private void unlink(Idle<C> entry) {
        byAge.remove(entry);
        ArrayDeque<Idle<C>> sameKey = byKey.get(entry.key());
        Idle<C> last = sameKey.pollLast();
        if (last != entry) {
            throw new IllegalStateException("pool order corrupted");
        }
        if (sameKey.isEmpty()) {
            byKey.remove(entry.key());
        }
        metrics.of(entry.key().remote()).idle().decrementAndGet();
    }

    /** Closes connections taken out of the pool, then frees their places. */
    private void evict(List<Idle<C>> evicted) {
        for (Idle<C> e : evicted) {
            metrics.of(e.key().remote()).evicted().increment();
            e.connection().close();
            forget(e.key().remote(), 1);
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
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        all.forEach(e -> {
            e.connection().close();
            forget(e.key().remote(), 1);
        });
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
