package io.annexgate.service;

import io.annexgate.locking.MonotonicClock;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repositories on this machine that the server answers for: the one it was started in, or
 * every git-annex repository below the {@code --directory} paths (found again when an unknown
 * uuid is asked for, at most once a second).
 */
public final class LocalRepositories implements TargetRegistry, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalRepositories.class);
    private static final long RESCAN_INTERVAL_NANOS = 1_000_000_000L;

    private final List<Path> directories;
    private final int lockedFiles;
    private final MonotonicClock monotonicClock;
    private final Clock wallClock;
    private final AnnexgateMetrics metrics;
    private final Map<AnnexUuid, ServedRepository> served = new ConcurrentHashMap<>();
    /** Times the journal commits of every repository; the commits themselves run on virtual threads. */
    private final ScheduledExecutorService commitTimer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("annexgate-commit-timer").daemon().factory());
    private long lastScanNanos;

    private LocalRepositories(List<Path> directories, int lockedFiles, MonotonicClock monotonicClock, Clock wallClock,
            AnnexgateMetrics metrics) {
        this.directories = directories;
        this.lockedFiles = lockedFiles;
        this.monotonicClock = monotonicClock;
        this.wallClock = wallClock;
        this.metrics = metrics;
    }

    public static LocalRepositories open(Path single, List<Path> directories, int lockedFiles,
            MonotonicClock monotonicClock, Clock wallClock, AnnexgateMetrics metrics) {
        LocalRepositories repositories = new LocalRepositories(List.copyOf(directories), lockedFiles, monotonicClock,
                wallClock, metrics);
        if (directories.isEmpty()) {
            AnnexRepository repository = AnnexRepository.open(single).orElseThrow(() -> new IllegalStateException(
                    "Use the --directory option to specify which git-annex repositories to serve."));
            repositories.add(repository);
        } else {
            repositories.rescan();
        }
        return repositories;
    }

    private void add(AnnexRepository repository) {
        ServedRepository s = new ServedRepository(repository, lockedFiles, monotonicClock, wallClock, metrics,
                commitTimer);
        served.put(repository.uuid(), s);
        metrics.repositoryServed(repository.uuid().value(), repository.gitDir(), s.lockRegistry()::held, lockedFiles);
        log.info("serving {} as {}", repository.gitDir(), repository.uuid());
    }

    @Override
    public Optional<AnnexTarget> find(AnnexUuid uuid) {
        ServedRepository s = served.get(uuid);
        if (s == null && !directories.isEmpty() && rescanDue()) {
            rescan();
            s = served.get(uuid);
        }
        return Optional.ofNullable(s).map(ServedRepository::target);
    }

    public List<AnnexTarget> all() {
        return served.values().stream().<AnnexTarget>map(ServedRepository::target).toList();
    }

    private synchronized boolean rescanDue() {
        long now = monotonicClock.nowNanos();
        if (now - lastScanNanos < RESCAN_INTERVAL_NANOS) {
            return false;
        }
        lastScanNanos = now;
        return true;
    }

    /** Finds the repositories below the directories now; drops the ones that are gone. */
    synchronized void rescan() {
        Map<AnnexUuid, List<AnnexRepository>> found = new HashMap<>();
        for (Path dir : directories) {
            for (AnnexRepository r : findBelow(dir)) {
                found.computeIfAbsent(r.uuid(), u -> new ArrayList<>()).add(r);
            }
        }
        for (Map.Entry<AnnexUuid, List<AnnexRepository>> e : found.entrySet()) {
            if (e.getValue().size() > 1) {
                log.error("not serving uuid {}: it is the uuid of {} repositories: {}", e.getKey(), e.getValue().size(),
                        e.getValue().stream().map(AnnexRepository::gitDir).toList());
                continue;
            }
            if (!served.containsKey(e.getKey())) {
                add(e.getValue().get(0));
            }
        }
        for (AnnexUuid uuid : List.copyOf(served.keySet())) {
            List<AnnexRepository> now = found.get(uuid);
            if (now == null || now.size() != 1) {
                ServedRepository gone = served.remove(uuid);
                if (gone != null) {
                    log.info("no longer serving {} ({})", gone.repository().gitDir(), uuid);
                    gone.close();
                }
            }
        }
        lastScanNanos = monotonicClock.nowNanos();
    }

    private static List<AnnexRepository> findBelow(Path top) {
        List<AnnexRepository> found = new ArrayList<>();
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    Optional<AnnexRepository> r = AnnexRepository.open(dir);
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
        served.values().forEach(ServedRepository::close);
        served.clear();
        commitTimer.shutdownNow();
    }
}
