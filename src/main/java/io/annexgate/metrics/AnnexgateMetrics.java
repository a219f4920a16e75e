package io.annexgate.metrics;

import io.annexgate.protocol.ApiVersion;
import io.annexgate.protocol.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Every {@code annexgate_*} meter, declared in one place with bounded tags: endpoint, version,
 * outcome, status, direction, and a repository name only where there are few.
 */
public final class AnnexgateMetrics {

    private final MeterRegistry registry;
    private final Counter bytesReceived;
    private final Counter bytesSent;
    private final Counter locksRefused;
    private final Counter verificationFailures;
    private final AtomicInteger uploadsInFlight = new AtomicInteger();
    private final AtomicInteger downloadsInFlight = new AtomicInteger();
    private final List<IntSupplier> lockCounts = new CopyOnWriteArrayList<>();
    private final List<IntSupplier> lockLimits = new CopyOnWriteArrayList<>();
    private final AtomicInteger repositoriesServed = new AtomicInteger();
    private final Map<RequestTags, Timer> requestTimers = new ConcurrentHashMap<>();

    private record RequestTags(Endpoint endpoint, String version, String outcome, int status) { }

    public AnnexgateMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.bytesReceived = Counter.builder("annexgate.bytes.received")
                .description("Content bytes received from clients").register(registry);
        this.bytesSent = Counter.builder("annexgate.bytes.sent")
                .description("Content bytes sent to clients").register(registry);
        this.locksRefused = Counter.builder("annexgate.locks.refused")
                .description("lockcontent requests refused because the locked-files limit was reached")
                .register(registry);
        this.verificationFailures = Counter.builder("annexgate.verification.failures")
                .description("Uploads whose content did not match their key").register(registry);
        Gauge.builder("annexgate.transfers.in.flight", uploadsInFlight, AtomicInteger::get)
                .tag("direction", "upload").description("Puts being received").register(registry);
        Gauge.builder("annexgate.transfers.in.flight", downloadsInFlight, AtomicInteger::get)
                .tag("direction", "download").description("Gets being sent").register(registry);
        Gauge.builder("annexgate.locks.held", lockCounts, sum())
                .description("Content locks held for clients").register(registry);
        Gauge.builder("annexgate.lockedfiles.limit", lockLimits, sum())
                .description("How many content locks may be held at once").register(registry);
        Gauge.builder("annexgate.repositories.served", repositoriesServed, AtomicInteger::get)
                .description("Repositories this server answers for").register(registry);
    }

    private static ToDoubleFunction<List<IntSupplier>> sum() {
        return list -> list.stream().mapToInt(IntSupplier::getAsInt).sum();
    }

    /** Registers the gauges of one served repository. */
    public void repositoryServed(String name, Path directory, IntSupplier locksHeld, int lockLimit) {
        repositoriesServed.incrementAndGet();
        lockCounts.add(locksHeld);
        lockLimits.add(() -> lockLimit);
        Gauge.builder("annexgate.disk.free", directory, dir -> fileStoreBytes(dir, false)).baseUnit("bytes")
                .tag("repository", name).description("Usable bytes on the file system holding the repository")
                .register(registry);
        Gauge.builder("annexgate.disk.total", directory, dir -> fileStoreBytes(dir, true)).baseUnit("bytes")
                .tag("repository", name).description("Size of the file system holding the repository")
                .register(registry);
    }

    private static double fileStoreBytes(Path dir, boolean total) {
        try {
            FileStore store = Files.getFileStore(dir);
            return total ? store.getTotalSpace() : store.getUsableSpace();
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** Records one finished API request. */
    public void request(Endpoint endpoint, ApiVersion version, String outcome, int status, long nanos) {
        String v = version == null ? "none" : version.segment();
        requestTimers.computeIfAbsent(new RequestTags(endpoint, v, outcome, status), t -> Timer.builder("annexgate.requests")
                        .description("P2P HTTP API requests")
                        .tag("endpoint", t.endpoint().label())
                        .tag("version", t.version())
                        .tag("outcome", t.outcome())
                        .tag("status", Integer.toString(t.status()))
                        .publishPercentileHistogram()
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public void bytesReceived(long n) {
        bytesReceived.increment(n);
    }

    public void bytesSent(long n) {
        bytesSent.increment(n);
    }

    public void lockRefused() {
        locksRefused.increment();
    }

    public void verificationFailed() {
        verificationFailures.increment();
    }

    /** Counts a transfer in flight until the returned handle is closed. */
    public InFlight upload() {
        uploadsInFlight.incrementAndGet();
        return uploadsInFlight::decrementAndGet;
    }

    public InFlight download() {
        downloadsInFlight.incrementAndGet();
        return downloadsInFlight::decrementAndGet;
    }

    /** A transfer being counted. */
    @FunctionalInterface
    public interface InFlight extends AutoCloseable {
        @Override
        void close();
    }
}
