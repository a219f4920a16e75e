package io.annexgate.service;

import io.annexgate.locking.CaffeineLockRegistry;
import io.annexgate.locking.LockRegistry;
import io.annexgate.locking.MonotonicClock;
import io.annexgate.metrics.AnnexgateMetrics;
import io.annexgate.repository.AnnexContentLocks;
import io.annexgate.repository.AnnexObjectStore;
import io.annexgate.repository.AnnexRepository;
import io.annexgate.repository.GitAnnexBranch;
import io.annexgate.repository.JournalLocationLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;

/** One repository served by this process, with the state that belongs to it alone. */
final class ServedRepository implements AutoCloseable {

    private final AnnexRepository repository;
    private final GitAnnexBranch branch;
    private final LockRegistry lockRegistry;
    private final AnnexContentLocks contentLocks;
    private final LocalRepositoryTarget target;

    ServedRepository(AnnexRepository repository, int lockedFiles, MonotonicClock monotonicClock, Clock wallClock,
            AnnexgateMetrics metrics) {
        this.repository = repository;
        try {
            this.branch = new GitAnnexBranch(repository);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + repository.gitDir(), e);
        }
        AnnexObjectStore store = new AnnexObjectStore(repository);
        this.contentLocks = new AnnexContentLocks(repository, store, wallClock);
        this.lockRegistry = new CaffeineLockRegistry(monotonicClock, lockedFiles);
        this.target = new LocalRepositoryTarget(repository, store, contentLocks,
                new JournalLocationLog(repository, branch, wallClock), lockRegistry, monotonicClock, wallClock, metrics);
    }

    AnnexRepository repository() {
        return repository;
    }

    LocalRepositoryTarget target() {
        return target;
    }

    LockRegistry lockRegistry() {
        return lockRegistry;
    }

    /** Lets go of every lock; retention times stay on disk and keep protecting the content. */
    @Override
    public void close() {
        lockRegistry.shutdown();
        contentLocks.releaseAll();
        branch.close();
    }
}
