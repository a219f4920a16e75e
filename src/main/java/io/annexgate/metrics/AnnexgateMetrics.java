package io.annexgate.metrics;

import io.annexgate.protocol.ApiVersion;
import io.annexgate.protocol.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Every {@code annexgate_*} meter, declared in one place with bounded tags: endpoint, version,
 * outcome, status, direction, file system, and a repository name only when the operator asks for
 * it ({@code annexgate.metrics.per-repository}). What a repository registers goes when it stops being served.
 */
public final class AnnexgateMetrics {

    private final MeterRegistry registry;
    private final Counter bytesReceived;
    private final Counter bytesSent;
    private final Counter locksRefused;
    private final Counter verificationFailures;
    private final Counter journalCommitFailures;
    private final Counter keeplockedLineTooLong;
    private final AtomicInteger uploadsInFlight = new AtomicInteger();
    private final AtomicInteger downloadsInFlight = new AtomicInteger();
    private final Set<IntSupplier> lockCounts = ConcurrentHashMap.newKeySet();
    private final Set<IntSupplier> lockLimits = ConcurrentHashMap.newKeySet();
    private final Set<LockUse> lockUses = ConcurrentHashMap.newKeySet();
    private final DiskGauges disks;
    private final AtomicInteger repositoriesServed = new AtomicInteger();
    private final AtomicInteger duplicatesRefused = new AtomicInteger();
    private final Map<RequestTags, Timer> requestTimers = new ConcurrentHashMap<>();
    private final SlotWaits jobSlotWaits;
    private final SlotWaits cpuSlotWaits;

    private record RequestTags(Endpoint endpoint, String version, String outcome, int status) { }

    public AnnexgateMetrics(MeterRegistry registry) {
        this(registry, false);
    }

    /** @param perRepository disk gauges per repository (tag {@code repository}) rather than per file system */
    public AnnexgateMetrics(MeterRegistry registry, boolean perRepository) {
        this.registry = registry;
        this.disks = new DiskGauges(registry, perRepository);
        this.bytesReceived = Counter.builder("annexgate.bytes.received")
                .description("Content bytes received from clients").register(registry);
        this.bytesSent = Counter.builder("annexgate.bytes.sent")
                .description("Content bytes sent to clients").register(registry);
        this.locksRefused = Counter.builder("annexgate.locks.refused")
                .description("lockcontent requests refused because the locked-files limit was reached")
                .register(registry);
        this.verificationFailures = Counter.builder("annexgate.verification.failures")
                .description("Uploads whose content did not match their key").register(registry);
        this.journalCommitFailures = Counter.builder("annexgate.journal.commit.failures")
                .description("Journal commits to the git-annex branch that failed and will be retried (the journal stays)")
                .register(registry);
        this.keeplockedLineTooLong = Counter.builder("annexgate.keeplocked.refused").tag("reason", "line_too_long")
                .description("keeplocked requests refused (413, lock released) for a line over annexgate.keeplocked.max-line")
                .register(registry);
        Gauge.builder("annexgate.transfers.in.flight", uploadsInFlight, AtomicInteger::get)
                .tag("direction", "upload").description("Puts being received").register(registry);
        Gauge.builder("annexgate.transfers.in.flight", downloadsInFlight, AtomicInteger::get)
                .tag("direction", "download").description("Gets being sent").register(registry);
        Gauge.builder("annexgate.locks.held", lockCounts, sum())
                .description("Content locks held for clients").register(registry);
        Gauge.builder("annexgate.lockedfiles.limit", lockLimits, sum())
                .description("How many content locks may be held at once").register(registry);
        Gauge.builder("annexgate.locks.held.max.ratio", lockUses, AnnexgateMetrics::fullestRatio)
                .description("Locks held over the locked-files limit in the fullest repository (the limit is per repository)")
                .register(registry);
        Gauge.builder("annexgate.repositories.served", repositoriesServed, AtomicInteger::get)
                .description("Repositories this server answers for now").register(registry);
        Gauge.builder("annexgate.repositories.refused", duplicatesRefused, AtomicInteger::get)
                .tag("reason", "duplicate_uuid")
                .description("Repositories found but not served now; duplicate_uuid: another with its uuid is served")
                .register(registry);
        this.jobSlotWaits = slotWaits("jobs");
        this.cpuSlotWaits = slotWaits("cpus");
    }

    /** The wait meters of one kind of transfer slot, summed over the repositories. */
    private SlotWaits slotWaits(String slots) {
        AtomicInteger waiting = new AtomicInteger();
        Gauge.builder("annexgate.transfer.slot.waiting", waiting, AtomicInteger::get).tag("slots", slots)
                .description("Transfers waiting for a slot: --jobs per repository (local, proxied and cluster"
                        + " puts and gets), --cpus for hashing")
                .register(registry);
        Timer timer = Timer.builder("annexgate.transfer.slot.wait").tag("slots", slots)
                .description("Time a transfer waited for its slot (--jobs, --cpus), when they are bounded")
                .register(registry);
        return new SlotWaits(waiting, timer);
    }

    /** Waits for a {@code --jobs} slot (transfers of a repository and the remotes and clusters it serves). */
    public SlotWaits jobSlotWaits() {
        return jobSlotWaits;
    }

    /** Waits for a {@code --cpus} slot (uploads being hashed). */
    public SlotWaits cpuSlotWaits() {
        return cpuSlotWaits;
    }

    /** How many wait for a kind of slot now, and how long each took to get one. */
    public record SlotWaits(AtomicInteger waiting, Timer timer) {

        public void waited(long nanos) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private static ToDoubleFunction<Set<IntSupplier>> sum() {
        return set -> set.stream().mapToInt(IntSupplier::getAsInt).sum();
    }

    /**
     * Counts one repository as served, with its locked-files limit and its file system's disk
     * gauges, until the returned registration is closed.
     */
    public Registration repositoryServed(String name, Path directory, int lockLimit) {
        repositoriesServed.incrementAndGet();
        IntSupplier limit = () -> lockLimit;
        lockLimits.add(limit);
        Runnable disk = disks.add(name, directory);
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (!open.getAndSet(false)) {
                return;
            }
            disk.run();
            lockLimits.remove(limit);
            repositoriesServed.decrementAndGet();
        };
    }

    /** How many repositories are refused now because another with their uuid is served. */
    public void duplicatesRefused(int count) {
        duplicatesRefused.set(count);
    }

    /** Adds {@code held} to {@code annexgate_locks_held} until the returned registration is closed. */
    public Registration locksHeld(IntSupplier held) {
        IntSupplier own = held::getAsInt;
        lockCounts.add(own);
        return () -> lockCounts.remove(own);
    }

    /**
     * Adds one repository's {@code held} to {@code annexgate_locks_held} and lets its {@code held / limit}
     * count for {@code annexgate_locks_held_max_ratio} until the returned registration is closed.
     */
    public Registration locksHeld(IntSupplier held, IntSupplier limit) {
        Registration counted = locksHeld(held);
        LockUse use = new LockUse(held, limit);
        lockUses.add(use);
        return () -> {
            lockUses.remove(use);
            counted.close();
        };
    }

    /** One repository's locks and their limit; identity, not value, tells two apart. */
    private static final class LockUse {
        private final IntSupplier held;
        private final IntSupplier limit;

        LockUse(IntSupplier held, IntSupplier limit) {
            this.held = held;
            this.limit = limit;
        }

        double ratio() {
            int max = limit.getAsInt();
            return max > 0 ? (double) held.getAsInt() / max : 0;
        }
    }

    private static double fullestRatio(Set<LockUse> uses) {
        return uses.stream().mapToDouble(LockUse::ratio).max().orElse(0);
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

    public void journalCommitFailed() {
        journalCommitFailures.increment();
    }

    public void verificationFailed() {
        verificationFailures.increment();
    }

    public void keeplockedLineTooLong() {
        keeplockedLineTooLong.increment();
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

    /** Something counted or registered until closed. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** A transfer being counted. */
    @FunctionalInterface
    public interface InFlight extends AutoCloseable {
        @Override
        void close();
    }
}
