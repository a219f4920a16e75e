package io.annexgate.service;

import io.annexgate.locking.CaffeineLockRegistry;
import io.annexgate.locking.LockRegistry;
import io.annexgate.locking.MonotonicClock;
import io.annexgate.metrics.AnnexgateMetrics;
import io.annexgate.repository.AnnexContentLocks;
import io.annexgate.repository.AnnexObjectStore;
import io.annexgate.repository.AnnexRepository;
import io.annexgate.repository.ChangeNotifyingLocationLog;
import io.annexgate.repository.GitAnnexBranch;
import io.annexgate.repository.JournalCommitter;
import io.annexgate.repository.JournalLocationLog;
import io.annexgate.repository.JournalLock;
import io.annexgate.repository.LocationLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The state of a served repository while it is in use: its git-annex branch (a JGit repository),
 * lock registry, content locks and journal committer. Opened on a repository's first request and
 * closed again when it has been idle for a while.
 */
final class OpenRepository implements AutoCloseable {

    private final GitAnnexBranch branch;
    private final LockRegistry lockRegistry;
    private final AnnexContentLocks contentLocks;
    private final DebouncedCommit journalCommit;
    private final LocalRepositoryTarget target;
    private final LocationLog locationLog;
    private final AnnexgateMetrics.Registration locksHeld;

    OpenRepository(AnnexRepository repository, int lockedFiles, MonotonicClock monotonicClock, Clock wallClock,
            AnnexgateMetrics metrics, ScheduledExecutorService commitTimer) {
        try {
            this.branch = new GitAnnexBranch(repository);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + repository.gitDir(), e);
        }
        AnnexObjectStore store = new AnnexObjectStore(repository);
        this.contentLocks = new AnnexContentLocks(repository, store, wallClock);
        this.lockRegistry = new CaffeineLockRegistry(monotonicClock, lockedFiles);
        JournalLock journalLock = new JournalLock(repository);
        this.journalCommit = new DebouncedCommit(repository.gitDir().toString(),
                new JournalCommitter(repository, branch, journalLock), commitTimer, monotonicClock,
                Duration.ofSeconds(1), Duration.ofSeconds(10), metrics::journalCommitFailed);
        this.locationLog = new ChangeNotifyingLocationLog(
                new JournalLocationLog(repository, branch, journalLock, wallClock), journalCommit::changed);
        this.target = new LocalRepositoryTarget(repository, store, contentLocks, locationLog,
                lockRegistry, monotonicClock, wallClock, metrics);
        this.locksHeld = metrics.locksHeld(lockRegistry::held, lockRegistry::limit);
    }

    LocalRepositoryTarget target() {
        return target;
    }

    GitAnnexBranch branch() {
        return branch;
    }

    /** The location log, whose changes reach the branch through the journal committer. */
    LocationLog locationLog() {
        return locationLog;
    }

    /** Whether closing now loses nothing: no lock held for a client and no journal change pending. */
    boolean quiet() {
        return lockRegistry.held() == 0 && journalCommit.idle();
    }

    /**
     * Commits the journal still pending, then lets go of every lock; retention times stay on disk
     * and keep protecting the content.
     */
    @Override
    public void close() {
        journalCommit.flush();
        lockRegistry.shutdown();
        contentLocks.releaseAll();
        branch.close();
        locksHeld.close();
    }
}
