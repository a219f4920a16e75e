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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/** One repository served by this process, with the state that belongs to it alone. */
final class ServedRepository implements AutoCloseable {

    private final AnnexRepository repository;
    private final GitAnnexBranch branch;
    private final LockRegistry lockRegistry;
    private final AnnexContentLocks contentLocks;
    private final DebouncedCommit journalCommit;
    private final LocalRepositoryTarget target;
    private final ServedState state;

    ServedRepository(AnnexRepository repository, int lockedFiles, MonotonicClock monotonicClock, Clock wallClock,
            AnnexgateMetrics metrics, ScheduledExecutorService commitTimer) {
        this.repository = repository;
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
                Duration.ofSeconds(1), Duration.ofSeconds(10));
        ChangeNotifyingLocationLog locationLog = new ChangeNotifyingLocationLog(
                new JournalLocationLog(repository, branch, journalLock, wallClock), journalCommit::changed);
        this.target = new LocalRepositoryTarget(repository, store, contentLocks, locationLog, lockRegistry,
                monotonicClock, wallClock, metrics);
        this.state = new ServedState(repository, branch, locationLog);
    }

    AnnexRepository repository() {
        return repository;
    }

    LocalRepositoryTarget target() {
        return target;
    }

    ServedState state() {
        return state;
    }

    LockRegistry lockRegistry() {
        return lockRegistry;
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
    }
}
