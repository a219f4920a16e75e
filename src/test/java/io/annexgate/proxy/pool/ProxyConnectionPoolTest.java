package io.annexgate.proxy.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.annexgate.protocol.AnnexUuid;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProxyConnectionPoolTest {

    private static final AnnexUuid R1 = new AnnexUuid("aaaaaaaa-0000-0000-0000-000000000001");
    private static final AnnexUuid R2 = new AnnexUuid("bbbbbbbb-0000-0000-0000-000000000002");
    private static final AnnexUuid GATEWAY = new AnnexUuid("cccccccc-0000-0000-0000-000000000003");
    private static final PoolKey K1 = new PoolKey(R1, 4, Set.of());
    private static final PoolKey K2 = new PoolKey(R2, 4, Set.of());

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong clock = new AtomicLong();
    private final List<FakeConnection> opened = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNextOpens = new AtomicInteger();
    /** The most connections open (opened and not closed) at once: reached right after an open. */
    private final AtomicInteger mostOpen = new AtomicInteger();

    private ProxyConnectionPool<FakeConnection> pool(int maxIdle) {
        return pool(maxIdle, ProxyConnectionPool.Limits.NONE);
    }

    private ProxyConnectionPool<FakeConnection> pool(int maxIdle, ProxyConnectionPool.Limits limits) {
        return new ProxyConnectionPool<>(maxIdle, limits, key -> {
            if (failNextOpens.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IOException("cannot reach " + key.remote());
            }
            FakeConnection c = new FakeConnection(key.remote() + "#" + opened.size());
            opened.add(c);
            mostOpen.accumulateAndGet(openNow(), Math::max);
            return c;
        }, new ProxyPoolMetrics(registry), clock::get);
    }

    private int openNow() {
        return (int) opened.stream().filter(c -> !c.closed()).count();
    }

    /** Opens {@code n} connections for {@code key} at once and releases them one clock tick apart. */
    private List<FakeConnection> useAtOnce(ProxyConnectionPool<FakeConnection> pool, PoolKey key, int n) throws IOException {
        List<ProxyConnectionPool.Lease<FakeConnection>> leases = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leases.add(pool.acquire(key));
        }
        List<FakeConnection> out = new ArrayList<>();
        for (ProxyConnectionPool.Lease<FakeConnection> l : leases) {
            clock.incrementAndGet();
            out.add(l.connection());
            l.close();
        }
        return out;
    }

    private double count(String name, AnnexUuid remote) {
        return registry.get(name).tag("remote", remote.value()).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private double gauge(String name, AnnexUuid remote) {
        return registry.get(name).tag("remote", remote.value()).gauge().value();
    }

    @Test
    void aReleasedConnectionIsReusedForTheSameKeyOnly() throws Exception {
        ProxyConnectionPool<FakeConnection> pool = pool(4);
        FakeConnection first;
        try (var lease = pool.acquire(K1)) {
            first = lease.connection();
            assertThat(gauge("annexgate.proxy.connections.active", R1)).isEqualTo(1);
        }
        assertThat(gauge("annexgate.proxy.connections.active", R1)).isZero();
        assertThat(gauge("annexgate.proxy.connections.idle", R1)).isEqualTo(1);
        try (var lease = pool.acquire(K1)) {
            assertThat(lease.connection()).isSameAs(first);
        }
        for (PoolKey other : List.of(K2, new PoolKey(R1, 3, Set.of()), new PoolKey(R1, 4, Set.of(GATEWAY)))) {
            try (var lease = pool.acquire(other)) {
                assertThat(lease.connection()).isNotSameAs(first);
            }
        }
        assertThat(new PoolKey(R1, 4, Set.of(GATEWAY))).isEqualTo(new PoolKey(R1, 4, new java.util.HashSet<>(List.of(GATEWAY))));
        assertThat(count("annexgate.proxy.connections.opened", R1)).isEqualTo(3);
        assertThat(count("annexgate.proxy.connections.reused", R1)).isEqualTo(1);
        assertThat(registry.get("annexgate.proxy.connection.wait").tag("remote", R1.value()).timer().count()).isEqualTo(4);
    }

    @Test
    void theNewestIdleConnectionIsReusedFirst() throws Exception {
        ProxyConnectionPool<FakeConnection> pool = pool(4);
        List<FakeConnection> three = useAtOnce(pool, K1, 3);
        try (var lease = pool.acquire(K1)) {
            assertThat(lease.connection()).isSameAs(three.get(2));
        }
    }

    @Test
    void theIdleLimitIsKeptByClosingTheConnectionIdleLongest() throws Exception {
        ProxyConnectionPool<FakeConnection> pool = pool(2);
        List<FakeConnection> r1 = useAtOnce(pool, K1, 2);
        List<FakeConnection> r2 = useAtOnce(pool, K2, 1);
        // r1[0] went idle first, so it goes
        assertThat(r1.get(0).closed()).isTrue();
        assertThat(r1.get(1).closed()).isFalse();
        assertThat(r2.get(0).closed()).isFalse();
        assertThat(pool.idleCount()).isEqualTo(2);
        assertThat(pool.idleCount(K1)).isEqualTo(1);
        useAtOnce(pool, K2, 1);   // reuses r2[0], now the newest: r1[1] is the oldest
        useAtOnce(pool, K2, 2);   // r2[0] reused plus a new one: the second release evicts r1[1]
        assertThat(r1.get(1).closed()).isTrue();
        assertThat(pool.idleCount(K1)).isZero();
        assertThat(pool.idleCount(K2)).isEqualTo(2);
        assertThat(count("annexgate.proxy.connections.evicted", R1)).isEqualTo(2);
        assertThat(gauge("annexgate.proxy.connections.idle", R1)).isZero();
        assertThat(gauge("annexgate.proxy.connections.idle", R2)).isEqualTo(2);
    }

    @Test
    void theDefaultOfOneKeepsOnlyTheLastReleased() throws Exception {
        ProxyConnectionPool<FakeConnection> pool = pool(1);
        List<FakeConnection> two = useAtOnce(pool, K1, 2);
        assertThat(two.get(0).closed()).isTrue();
        assertThat(pool.idleCount()).isEqualTo(1);
        ProxyConnectionPool<FakeConnection> none = pool(0);
        FakeConnection c = useAtOnce(none, K1, 1).get(0);
        assertThat(c.closed()).isTrue();
        assertThat(none.idleCount()).isZero();
    }

    @Test
    void brokenConnectionsAreClosedAndNeverReused() throws Exception {
        ProxyConnectionPool<FakeConnection> pool = pool(4);
        FakeConnection broken;
        try (var lease = pool.acquire(K1)) {
            broken = lease.connection();
            broken.breakIt();
        }
        assertThat(broken.closed()).isTrue();
        assertThat(pool.idleCount()).isZero();

        List<FakeConnection> idle = useAtOnce(pool, K1, 2);
        idle.get(1).breakIt();   // breaks while idle (its process died, say)
        try (var lease = pool.acquire(K1)) {
            assertThat(lease.connection()).isSameAs(idle.get(0));
        }
        assertThat(idle.get(1).closed()).isTrue();
        assertThat(count("annexgate.proxy.connections.failed", R1)).isEqualTo(2);
    }

    @Test
    void aFailedOpenIsCountedAndReported() {
        ProxyConnectionPool<FakeConnection> pool = pool(4);
        failNextOpens.set(1);
        assertThatThrownBy(() -> pool.acquire(K1)).isInstanceOf(IOException.class).hasMessageContaining("cannot reach");
        assertThat(registry.get("annexgate.proxy.connections.failed").tag("stage", "open").counter().count()).isEqualTo(1);
        assertThat(gauge("annexgate.proxy.connections.active", R1)).isZero();
    }

    @Test
    void connectionsIdleTooLongAreEvictedOldestFirst() throws Exception {
        ProxyConnectionPool<FakeConnection> pool = pool(10);
        List<FakeConnection> four = useAtOnce(pool, K1, 4);   // idle since 1, 2, 3, 4
        clock.set(10);
        assertThat(pool.evictIdleLongerThan(Duration.ofNanos(7))).isEqualTo(2);   // since 1 and 2
        assertThat(four.get(0).closed()).isTrue();
        assertThat(four.get(1).closed()).isTrue();
        assertThat(four.get(2).closed()).isFalse();
        pool.close();
        assertThat(four.get(3).closed()).isTrue();
        assertThat(gauge("annexgate.proxy.connections.idle", R1)).isZero();
    }

    private double waiting(AnnexUuid remote) {
        return gauge("annexgate.proxy.connections.waiting", remote);
    }

    @Test
    void withTwoConnectionsAllowedFiveBorrowersNeverHaveMoreThanTwoOpenAndTheRestWait() throws Exception {
        ProxyConnectionPool<FakeConnection> pool = pool(4, new ProxyConnectionPool.Limits(2, Duration.ofMinutes(1)));
        CountDownLatch release = new CountDownLatch(1);
        List<FakeConnection> used = new CopyOnWriteArrayList<>();
        List<Thread> borrowers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            borrowers.add(Thread.ofVirtual().start(() -> {
                try (var lease = pool.acquire(K1)) {
                    used.add(lease.connection());
                    release.await();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> used.size() == 2 && waiting(R1) == 3);
        assertThat(openNow()).isEqualTo(2);
        assertThat(gauge("annexgate.proxy.connections.active", R1)).isEqualTo(2);
        release.countDown();
        for (Thread t : borrowers) {
            t.join();
        }
        assertThat(used).hasSize(5);
        assertThat(mostOpen).hasValue(2);
        assertThat(opened).hasSize(2);
        assertThat(count("annexgate.proxy.connections.waited", R1)).isEqualTo(3);
        assertThat(waiting(R1)).isZero();
    }

    @Test
    void aWaiterGivesUpAfterTheWaitAndAFailedOpenLeavesItsPlaceFree() throws Exception {
        ProxyConnectionPool<FakeConnection> pool = pool(4, new ProxyConnectionPool.Limits(1, Duration.ofMillis(50)));
        failNextOpens.set(1);
        assertThatThrownBy(() -> pool.acquire(K1)).hasMessageContaining("cannot reach");
        try (var held = pool.acquire(K1)) {
            assertThatThrownBy(() -> pool.acquire(K1)).isInstanceOf(ProxyConnectionPool.ConnectionsExhausted.class)
                    .hasMessageContaining("1 connections to remote " + R1.value() + " are in use");
            try (var other = pool.acquire(K2)) {
                assertThat(other.connection()).as("another remote has a bound of its own").isNotNull();
            }
        }
        assertThat(registry.get("annexgate.proxy.connections.failed").tag("remote", R1.value()).tag("stage", "wait")
                .counter().count()).isEqualTo(1);
        assertThat(waiting(R1)).isZero();
        try (var again = pool.acquire(K1)) {
            assertThat(count("annexgate.proxy.connections.reused", R1)).isEqualTo(1);
        }
    }

    @Test
    void atTheBoundAnIdleConnectionOfAnotherKeyIsClosedToMakeRoom() throws Exception {
        ProxyConnectionPool<FakeConnection> pool = pool(4, new ProxyConnectionPool.Limits(1, Duration.ofMinutes(1)));
        FakeConnection v4 = useAtOnce(pool, K1, 1).get(0);
        PoolKey v3 = new PoolKey(R1, 3, Set.of());
        try (var lease = pool.acquire(v3)) {
            assertThat(v4.closed()).isTrue();
            assertThat(lease.connection()).isNotSameAs(v4);
        }
        assertThat(mostOpen).hasValue(1);
        assertThat(count("annexgate.proxy.connections.waited", R1)).isZero();
    }

    @Test
    void atTheBoundABrokenIdleConnectionGivesItsPlaceToANewOne() throws Exception {
        ProxyConnectionPool<FakeConnection> pool = pool(4, new ProxyConnectionPool.Limits(1, Duration.ofMillis(50)));
        FakeConnection died = useAtOnce(pool, K1, 1).get(0);
        died.breakIt();
        try (var lease = pool.acquire(K1)) {
            assertThat(lease.connection()).isNotSameAs(died);
            assertThat(died.closed()).isTrue();
        }
        assertThat(mostOpen).hasValue(1);
        assertThat(count("annexgate.proxy.connections.waited", R1)).isZero();
    }

    @Test
    void waitersAreServedInArrivalOrder() throws Exception {
        ProxyConnectionPool<FakeConnection> pool = pool(4, new ProxyConnectionPool.Limits(1, Duration.ofMinutes(1)));
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch secondDone = new CountDownLatch(1);
        var first = pool.acquire(K1);
        Thread second = Thread.ofVirtual().start(() -> borrow(pool, new PoolKey(R1, 3, Set.of()), "second", order, secondDone));
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting(R1) == 1);
        Thread third = Thread.ofVirtual().start(() -> borrow(pool, new PoolKey(R1, 2, Set.of()), "third", order,
                new CountDownLatch(0)));
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting(R1) == 2);
        first.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> order.size() == 1);
        assertThat(order).containsExactly("second");
        assertThat(waiting(R1)).isEqualTo(1);
        secondDone.countDown();
        second.join();
        third.join();
        assertThat(order).containsExactly("second", "third");
        assertThat(mostOpen).hasValue(1);
    }

    private static void borrow(ProxyConnectionPool<FakeConnection> pool, PoolKey key, String name, List<String> order,
            CountDownLatch done) {
        try (var lease = pool.acquire(key)) {
            order.add(name);
            done.await();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
