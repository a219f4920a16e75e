package io.annexgate.proxy.pool;

import io.annexgate.protocol.AnnexUuid;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One request on a full pool whose key has no idle connection: acquire opens a (fake) connection,
 * release pools it and evicts the one idle longest. Every pooled connection has its own key, the
 * case where git-annex's pool rebuilds itself on every eviction; {@code rebuild} measures a model
 * of that (flatten, sort by idle time, drop the oldest, rebuild the map) for comparison.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PoolEvictionBenchmark {

    private static final AnnexUuid REMOTE = new AnnexUuid("aaaaaaaa-0000-0000-0000-000000000001");

    @Param({"100", "1000", "10000"})
    int pooled;

    private PoolKey[] keys;
    private int next;
    private long clock;
    private ProxyConnectionPool<FakeConnection> pool;
    private Map<PoolKey, List<long[]>> rebuildPool;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        keys = new PoolKey[pooled * 2];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new PoolKey(REMOTE, 4, Set.of(new AnnexUuid("bypass-" + i)));
        }
        pool = new ProxyConnectionPool<>(pooled, ProxyConnectionPool.Limits.NONE, key -> new FakeConnection("c"),
                new ProxyPoolMetrics(new SimpleMeterRegistry()), () -> clock++);
        rebuildPool = new HashMap<>();
        for (int i = 0; i < pooled; i++) {
            pool.acquire(nextKey()).close();
            rebuildRelease(nextKey());
        }
        if (pool.idleCount() != pooled) {
            throw new IllegalStateException("pool not full");
        }
    }

    @TearDown(Level.Trial)
    public void check() {
        if (pool.idleCount() != pooled) {
            throw new IllegalStateException("pool size drifted to " + pool.idleCount());
        }
        pool.close();
    }

    private PoolKey nextKey() {
        PoolKey k = keys[next];
        next = (next + 1) % keys.length;
        return k;
    }

    @Benchmark
    public int acquireReleaseEvict() throws Exception {
        pool.acquire(nextKey()).close();
        return pool.idleCount();
    }

    @Benchmark
    public int rebuild() {
        rebuildRelease(nextKey());
        return rebuildPool.size();
    }

    /** The model of git-annex's removeOldestProxyConnectionPool: O(n log n) per eviction. */
    private void rebuildRelease(PoolKey key) {
        rebuildPool.computeIfAbsent(key, k -> new LinkedList<>()).addFirst(new long[] {clock++});
        int total = rebuildPool.values().stream().mapToInt(List::size).sum();
        if (total <= pooled) {
            return;
        }
        List<Map.Entry<PoolKey, long[]>> flat = new ArrayList<>(total);
        rebuildPool.forEach((k, list) -> list.forEach(v -> flat.add(Map.entry(k, v))));
        flat.sort(Comparator.comparingLong(e -> e.getValue()[0]));
        flat.remove(0);
        Map<PoolKey, List<long[]>> rebuilt = new HashMap<>();
        for (Map.Entry<PoolKey, long[]> e : flat) {
            rebuilt.computeIfAbsent(e.getKey(), k -> new LinkedList<>()).add(e.getValue());
        }
        rebuildPool = rebuilt;
    }
}
