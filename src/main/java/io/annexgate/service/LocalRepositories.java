package io.annexgate.service;

import io.annexgate.locking.MonotonicClock;
import io.annexgate.config.StartupFailure;
import io.annexgate.metrics.AnnexgateMetrics;
import io.annexgate.protocol.AnnexUuid;
import io.annexgate.repository.AnnexRepository;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repositories on this machine that the server answers for: the one it was started in, or
 * every git-annex repository below the {@code --directory} paths, kept current by a file-system
 * watch and, as a safety net, a periodic rescan; a request for an unknown uuid rescans too, at
 * most once a second in all (never a scan per request). A repository's open
 * state is made by its first request and closed after {@code closeIdleAfter} without use. A
 * repository served stays served until it is really gone, whatever copies of it appear.
 */
public final class LocalRepositories implements TargetRegistry, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalRepositories.class);
    private static final long SAFETY_RESCAN_SECONDS = 30;
    private static final long UNKNOWN_UUID_RESCAN_NANOS = 1_000_000_000L;

    private final List<Path> directories;
    private final Scan scan;
    private final int lockedFiles;
    private final MonotonicClock monotonicClock;
    /** When an unknown uuid last made a rescan (guarded by this object's monitor). */
    private long lastUnknownUuidScanNanos = Long.MIN_VALUE / 2;
    private final Clock wallClock;
    private final AnnexgateMetrics metrics;
    private final Duration closeIdleAfter;
    private final AtomicLong idleSweeps = new AtomicLong();
    private final int jobs;
    /** Shared by every repository: {@code --cpus} bounds hashing server-wide. */
    private final TransferSlots hashing;
    private final Map<AnnexUuid, ServedRepository> served = new ConcurrentHashMap<>();
    /** Directories refused because another with their uuid is served (guarded by this object's monitor). */
    private final Map<Path, AnnexRepository> refused = new HashMap<>();
    /** Times journal commits and safety rescans; commits themselves run on virtual threads. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("annexgate-timer").daemon().factory());
    private DirectoryWatcher watcher;

    /** How the repositories below one of the directories are found. */
    @FunctionalInterface
    public interface Scan {
        /** The git-annex repositories below {@code top}, not looking inside them. */
        List<AnnexRepository> below(Path top);

        /** A walk of the file system: what the server uses unless a test gives another. */
        Scan WALK = LocalRepositories::findBelow;
    }

    private LocalRepositories(List<Path> directories, Scan scan, int lockedFiles, MonotonicClock monotonicClock,
            Clock wallClock, AnnexgateMetrics metrics, Duration closeIdleAfter, int jobs, int cpus) {
        this.scan = scan;
        this.closeIdleAfter = closeIdleAfter;
        this.jobs = jobs;
        this.hashing = new TransferSlots(cpus, metrics.cpuSlotWaits());
        this.directories = directories;
        this.lockedFiles = lockedFiles;
        this.monotonicClock = monotonicClock;
        this.wallClock = wallClock;
        this.metrics = metrics;
    }

    /**
     * @param scan how the repositories below each of {@code directories} are found
     * @param jobs concurrent transfers (put and get bodies) per repository; 0 for no bound
     * @param cpus concurrent uploads being hashed, server-wide; 0 for no bound
     */
    public static LocalRepositories open(Path single, List<Path> directories, Scan scan, int lockedFiles,
            MonotonicClock monotonicClock, Clock wallClock, AnnexgateMetrics metrics, Duration closeIdleAfter,
            int jobs, int cpus) {
        LocalRepositories repositories = new LocalRepositories(List.copyOf(directories), scan, lockedFiles,
                monotonicClock, wallClock, metrics, closeIdleAfter, jobs, cpus);
        if (directories.isEmpty()) {
            AnnexRepository repository = AnnexRepository.open(single).orElseThrow(() -> new StartupFailure(
                    single.toAbsolutePath() + " is not a git-annex repository. "
                            + "Use the --directory option to specify which git-annex repositories to serve."));
            repositories.add(repository);
        } else {
            for (Path directory : directories) {
                if (!java.nio.file.Files.isDirectory(directory)) {
                    log.warn("--directory {} does not exist (yet): its repositories are served once it does",
                            directory.toAbsolutePath());
                }
            }
            repositories.rescan();
            repositories.watch();
        }
        long sweep = Math.max(10, Math.min(closeIdleAfter.toMillis() / 2, SAFETY_RESCAN_SECONDS * 1000));
        repositories.timer.scheduleWithFixedDelay(repositories::closeIdle, sweep, sweep, TimeUnit.MILLISECONDS);
        return repositories;
    }

    private void add(AnnexRepository repository) {
        ServedRepository s = new ServedRepository(repository, lockedFiles, monotonicClock, wallClock, metrics,
                timer, new TransferSlots(jobs, metrics.jobSlotWaits()), hashing);
        served.put(repository.uuid(), s);
        log.info("serving {} as {}", repository.gitDir(), repository.uuid());
    }

    private void watch() {
        try {
            // the first walk skips the repositories the scan just found without reading their configs again
            Set<Path> known = served.values().stream().map(s -> s.repository().dir())
                    .collect(Collectors.toCollection(ConcurrentHashMap::newKeySet));
            watcher = DirectoryWatcher.start(directories, this::rescan,
                    dir -> known.contains(dir.toAbsolutePath().normalize()));
            known.clear();
        } catch (IOException e) {
            log.warn("cannot watch {} ({}); new repositories are found every {} s", directories, e.toString(),
                    SAFETY_RESCAN_SECONDS);
        }
        timer.scheduleWithFixedDelay(this::safetyRescan, SAFETY_RESCAN_SECONDS, SAFETY_RESCAN_SECONDS,
                TimeUnit.SECONDS);
    }

    private void safetyRescan() {
        try {
            rescan();
        } catch (RuntimeException e) {
            log.warn("periodic rescan of {} failed: {}", directories, e.toString());
        }
    }

    /** Closes the open state of repositories idle for {@code closeIdleAfter}. */
    private void closeIdle() {
        idleSweeps.incrementAndGet();
        long idleNanos = closeIdleAfter.toNanos();
        for (ServedRepository s : served.values()) {
            try {
                if (s.closeIfIdle(idleNanos)) {
                    log.debug("closed idle {}", s.repository().gitDir());
                }
            } catch (RuntimeException e) {
                log.warn("closing idle {} failed: {}", s.repository().gitDir(), e.toString());
            }
        }
    }

    /** How many times the idle sweep has started: a test can wait for sweeps instead of for time. */
    public long idleSweeps() {
        return idleSweeps.get();
    }

    /** Whether the repository with {@code uuid} is served and its state open now. */
    public boolean isOpen(AnnexUuid uuid) {
        ServedRepository s = served.get(uuid);
        return s != null && s.isOpen();
    }

    @Override
    public Optional<AnnexTarget> find(AnnexUuid uuid) {
        ServedRepository s = served.get(uuid);
        if (s == null && !directories.isEmpty()) {
            s = rescanFor(uuid);
        }
        return Optional.ofNullable(s).map(ServedRepository::target);
    }

    /**
     * A repository made a moment ago may be asked for before its file-system event arrives, as the
     * reference finds it: an unknown uuid rescans, but at most once a second however many
     * unknown uuids are asked for (callers meanwhile wait for the scan under way and use it).
     */
    private synchronized ServedRepository rescanFor(AnnexUuid uuid) {
        ServedRepository s = served.get(uuid);
        long now = monotonicClock.nowNanos();
        if (s == null && now - lastUnknownUuidScanNanos >= UNKNOWN_UUID_RESCAN_NANOS) {
            lastUnknownUuidScanNanos = now;
            rescan();
            s = served.get(uuid);
        }
        return s;
    }

    public List<AnnexTarget> all() {
        return served.values().stream().map(ServedRepository::target).toList();
    }

    /** Every repository served now, for the proxies of their remotes. */
    public List<ServedState> servedStates() {
        return served.values().stream().map(ServedRepository::state).toList();
    }

    /**
     * Finds the repositories below the directories now. A uuid found in more than one directory is
     * served from the one already serving it, or, when none is, from the first in path order; the
     * others are refused (logged once each, counted in {@code annexgate_repositories_refused}).
     * A served repository the scan misses goes only when a look at its own directory confirms it
     * is gone, and then only after its requests in flight end.
     */
    synchronized void rescan() {
        Map<AnnexUuid, List<AnnexRepository>> found = new HashMap<>();
        for (Path dir : directories) {
            for (AnnexRepository r : scan.below(dir)) {
                found.computeIfAbsent(r.uuid(), u -> new ArrayList<>()).add(r);
            }
        }
        Map<Path, AnnexRepository> refusedNow = new HashMap<>();
        for (Map.Entry<AnnexUuid, List<AnnexRepository>> e : found.entrySet()) {
            List<AnnexRepository> candidates = e.getValue().stream()
                    .sorted(Comparator.comparing(AnnexRepository::dir)).toList();
            AnnexRepository kept = serveOneOf(e.getKey(), candidates);
            candidates.stream().filter(r -> !r.gitDir().equals(kept.gitDir()))
                    .forEach(r -> refusedNow.put(r.dir(), r));
        }
        for (ServedRepository s : List.copyOf(served.values())) {
            AnnexRepository r = s.repository();
            if (!found.containsKey(r.uuid())) {
                if (stillThere(r)) {
                    log.debug("{} was missed by a scan but is still there: still serving it", r.dir());
                } else {
                    log.info("no longer serving {} ({}): it is gone", r.gitDir(), r.uuid());
                    retire(s);
                }
            }
        }
        reportRefused(refusedNow);
    }

    /** Which of the repositories found with one uuid (in path order) is served: the one serving it now if it still is. */
    private AnnexRepository serveOneOf(AnnexUuid uuid, List<AnnexRepository> candidates) {
        ServedRepository current = served.get(uuid);
        if (current != null) {
            AnnexRepository r = current.repository();
            if (candidates.stream().anyMatch(c -> c.gitDir().equals(r.gitDir())) || stillThere(r)) {
                return r;
            }
            log.info("{} is gone (moved?); serving its uuid {} from {}", r.dir(), uuid, candidates.get(0).dir());
            retire(current);
        }
        add(candidates.get(0));
        return candidates.get(0);
    }

    /** Stops serving {@code s}: later requests get 404, its state closes when its requests in flight end. */
    private void retire(ServedRepository s) {
        served.remove(s.repository().uuid(), s);
        s.retire();
    }

    /**
     * Whether a served repository is still where it was, with its uuid: looked at directly, as a
     * scan walking a tree that changes under it can miss it. Only a definite no counts as gone.
     */
    private static boolean stillThere(AnnexRepository r) {
        try {
            return AnnexRepository.open(r.dir()).filter(now -> now.uuid().equals(r.uuid())).isPresent();
        } catch (RuntimeException e) {
            log.warn("cannot read {} now ({}); still serving it", r.gitDir(), e.getMessage());
            return true;
        }
    }

    /** Logs each newly refused directory once, and counts those refused now. */
    private void reportRefused(Map<Path, AnnexRepository> refusedNow) {
        refusedNow.forEach((dir, r) -> {
            AnnexRepository before = refused.get(dir);
            if (before == null || !before.uuid().equals(r.uuid())) {
                log.warn("refusing {}: its uuid {} is served from {} (a copy? each repository needs a uuid of its own)",
                        dir, r.uuid(), served.get(r.uuid()).repository().dir());
            }
        });
        refused.keySet().stream().filter(dir -> !refusedNow.containsKey(dir))
                .forEach(dir -> log.info("no longer refusing {}", dir));
        refused.clear();
        refused.putAll(refusedNow);
        metrics.duplicatesRefused(refused.size());
    }

    private static List<AnnexRepository> findBelow(Path top) {
        List<AnnexRepository> found = new ArrayList<>();
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    Optional<AnnexRepository> r;
                    try {
                        r = AnnexRepository.open(dir);
                    } catch (RuntimeException e) {
                        log.warn("skipping {}: {}", dir, e.getMessage());
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (r.isPresent()) {
                        found.add(r.get());
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return dir.getFileName() != null && dir.getFileName().toString().equals(".git")
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("cannot scan {}: {}", top, e.toString());
        }
        return found;
    }

    /** Commits every pending journal, then lets go of every repository. */
    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        timer.shutdown();
        served.values().forEach(ServedRepository::close);
        served.clear();
        timer.shutdownNow();
    }
}
