package io.annexgate.proxy.pool;

import io.annexgate.protocol.AnnexUuid;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The proxy connection pool's meters, tagged by remote uuid (there are few proxied remotes):
 * {@code annexgate_proxy_connections_idle} / {@code _active} / {@code _waiting} gauges,
 * {@code annexgate_proxy_connections_{opened,reused,evicted,waited,failed}_total} counters (failed has
 * a {@code stage}: {@code open}, {@code broken}, or {@code wait} when no connection came free within
 * {@code annexgate.proxy.max-connection-wait}), and {@code annexgate_proxy_connection_wait_seconds},
 * the time a request waited to get a connection (reuse, a place under the bound, and opening). Not {@code _created_total}: the
 * Prometheus exporter takes a {@code _created} suffix for a counter's creation time and drops it.
 * Beside them, {@code annexgate_proxy_locks_held}: content locks held on each proxied remote for
 * clients (over P2P or HTTP), each remote bounded by {@code --lockedfiles} as the local ones.
 */
public final class ProxyPoolMetrics {

    private final MeterRegistry registry;
    private final Map<AnnexUuid, PerRemote> remotes = new ConcurrentHashMap<>();

    public ProxyPoolMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The meters of one remote, registered the first time it is seen. */
    PerRemote of(AnnexUuid remote) {
        return remotes.computeIfAbsent(remote, this::register);
    }

    private PerRemote register(AnnexUuid remote) {
        String tag = remote.value();
        AtomicInteger idle = new AtomicInteger();
        AtomicInteger active = new AtomicInteger();
        AtomicInteger waiting = new AtomicInteger();
        Gauge.builder("annexgate.proxy.connections.idle", idle, AtomicInteger::get).tag("remote", tag)
                .description("Idle pooled connections to a proxied remote").register(registry);
        Gauge.builder("annexgate.proxy.connections.active", active, AtomicInteger::get).tag("remote", tag)
                .description("Connections to a proxied remote in use by a request").register(registry);
        Gauge.builder("annexgate.proxy.connections.waiting", waiting, AtomicInteger::get).tag("remote", tag)
                .description("Requests waiting for a connection to a proxied remote at annexgate.proxy.max-connections")
                .register(registry);
        return new PerRemote(idle, active, waiting,
                counter("opened", "Connections opened to a proxied remote", tag),
                counter("reused", "Requests served by an idle pooled connection", tag),
                counter("evicted", "Idle connections closed because the pool was full, they were idle too long,"
                        + " or another connection to their remote needed the place", tag),
                failed(tag, "open"),
                failed(tag, "broken"),
                failed(tag, "wait"),
                counter("waited", "Requests that waited because the remote had annexgate.proxy.max-connections open", tag),
                Timer.builder("annexgate.proxy.connection.wait").tag("remote", tag)
                        .description("Time a request waited for a connection to a proxied remote").register(registry));
    }

    /** Shows how many locks {@code held} counts for {@code remote} as {@code annexgate_proxy_locks_held}. */
    public void locksHeld(AnnexUuid remote, IntSupplier held) {
        Gauge.builder("annexgate.proxy.locks.held", held, h -> h.getAsInt()).strongReference(true)
                .tag("remote", remote.value())
                .description("Content locks held on a proxied remote for clients").register(registry);
    }

    private Counter failed(String tag, String stage) {
        return Counter.builder("annexgate.proxy.connections.failed").tag("remote", tag).tag("stage", stage)
                .description("Connections that could not be opened, were found broken, or did not come free in time")
                .register(registry);
    }

    private Counter counter(String what, String description, String tag) {
        return Counter.builder("annexgate.proxy.connections." + what).tag("remote", tag).description(description)
                .register(registry);
    }

    /** One remote's meters. */
    record PerRemote(AtomicInteger idle, AtomicInteger active, AtomicInteger waiting, Counter created,
            Counter reused, Counter evicted, Counter failedOpen, Counter failedBroken, Counter failedWait, Counter waits,
            Timer waitTime) {

        void waited(long nanos) {
            waitTime.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
