package io.annexgate.service;

import io.annexgate.locking.LockRegistry.KeptLock;
import io.annexgate.locking.MonotonicClock;
import io.annexgate.metrics.AnnexgateMetrics;
import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import io.annexgate.protocol.LockId;
import io.annexgate.repository.AnnexRepository;
import io.annexgate.repository.ByteSink;
import io.annexgate.repository.LocationLog;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * One repository served by this process. Discovery makes only this (where it is, its layout
 * settings, its meters); the {@link OpenRepository} state is opened by the first request and
 * closed by {@link #closeIfIdle} once nothing has used it for a while, never while a request is
 * in progress, a lock is held or a journal change is pending. When discovery finds it gone it is
 * {@link #retire retired}: later requests are answered 404 and the state closes when the requests
 * in flight end. Transfers (put and get bodies) take
 * one of its {@code --jobs} slots, and uploads, hashed as they arrive, one of the server's
 * {@code --cpus} hashing slots as well.
 */
final class ServedRepository implements AutoCloseable {

    private final AnnexRepository repository;
    private final Supplier<OpenRepository> opener;
    private final MonotonicClock clock;
    private final AnnexgateMetrics.Registration meters;
    private final AnnexTarget target = new LazyTarget();
    private final TransferSlots jobs;
    private final TransferSlots hashing;
    private OpenRepository open;
    private int inUse;
    private long lastUsedNanos;
    /** No longer served: no new use of the state, which closes when the last use ends. */
    private boolean retired;

    ServedRepository(AnnexRepository repository, int lockedFiles, MonotonicClock monotonicClock, Clock wallClock,
            AnnexgateMetrics metrics, ScheduledExecutorService commitTimer, TransferSlots jobs, TransferSlots hashing) {
        this.repository = repository;
        this.jobs = jobs;
        this.hashing = hashing;
        this.clock = monotonicClock;
        this.opener = () -> new OpenRepository(repository, lockedFiles, monotonicClock, wallClock, metrics, commitTimer);
        this.meters = metrics.repositoryServed(repository.uuid().value(), repository.gitDir(), lockedFiles);
    }

    AnnexRepository repository() {
        return repository;
    }

    /** The protocol actions; each opens the state when it is not open. */
    AnnexTarget target() {
        return target;
    }

    /**
     * What a proxy needs of this repository. The branch and the location log are read and written
     * through the open state, which each call opens (and counts as use) as a request would.
     */
    ServedState state() {
        return new ServedState(repository, path -> withState(open -> open.branch().read(path)),
                new LocationLog() {
                    @Override
                    public void record(Key key, AnnexUuid uuid, boolean present) throws IOException {
                        withState(open -> {
                            open.locationLog().record(key, uuid, present);
                            return null;
                        });
                    }

                    @Override
                    public boolean says(Key key, AnnexUuid uuid) throws IOException {
                        return withState(open -> open.locationLog().says(key, uuid));
                    }
                }, jobs);
    }

    synchronized boolean isOpen() {
        return open != null;
    }

    private synchronized LocalRepositoryTarget use() {
        return useState().target();
    }

    private synchronized OpenRepository useState() {
        if (retired) {
            throw new NoLongerServed(repository.dir().toString());
        }
        if (open == null) {
            open = opener.get();
        }
        inUse++;
        lastUsedNanos = clock.nowNanos();
        return open;
    }

    /** Something done with the open state itself, counted as use while it runs. */
    @FunctionalInterface
    private interface StateAction<T> {
        T on(OpenRepository state) throws IOException;
    }

    private <T> T withState(StateAction<T> action) throws IOException {
        OpenRepository state = useState();
        try {
            return action.on(state);
        } finally {
            done();
        }
    }

    private synchronized void done() {
        inUse--;
        lastUsedNanos = clock.nowNanos();
        if (retired && inUse == 0) {
            closeState();
        }
    }

    /** Closes the state when it has been unused for {@code idleNanos} and closing loses nothing. */
    synchronized boolean closeIfIdle(long idleNanos) {
        if (open == null || inUse > 0 || clock.nowNanos() - lastUsedNanos < idleNanos || !open.quiet()) {
            return false;
        }
        closeState();
        return true;
    }

    /**
     * Stops serving: from now on a request is answered 404 ({@link NoLongerServed}) and the meters
     * go; the state closes when the requests in flight end, at once when there are none. The
     * locks held for clients go with the state, their retention times stay on disk.
     */
    synchronized void retire() {
        if (retired) {
            return;
        }
        retired = true;
        meters.close();
        if (inUse == 0) {
            closeState();
        }
    }

    /** Commits what is pending and lets go of everything, meters included, requests in flight or not (shutdown). */
    @Override
    public synchronized void close() {
        retired = true;
        closeState();
        meters.close();
    }

    /** Commits the journal still pending and lets go of the state; retention times stay on disk. */
    private void closeState() {
        if (open != null) {
            open.close();
            open = null;
        }
    }

    /** One protocol action on the open state. */
    @FunctionalInterface
    private interface Action<T> {
        T on(LocalRepositoryTarget target) throws IOException;
    }

    private <T> T with(Action<T> action) throws IOException {
        return withState(state -> action.on(state.target()));
    }

    /** The target handed to requests: every action counts as use of the state while it runs. */
    private final class LazyTarget implements AnnexTarget {

        @Override
        public AnnexUuid uuid() {
            return repository.uuid();
        }

        @Override
        public Optional<ContentSource> get(Key key) throws IOException {
            TransferSlots.Slot slot = jobs.take();
            LocalRepositoryTarget t;
            try {
                t = use();
            } catch (RuntimeException e) {
                slot.close();
                throw e;
            }
            try {
                Optional<ContentSource> content = t.get(key);
                if (content.isEmpty()) {
                    done();
                    slot.close();
                }
                return content.map(c -> new InUse(c, slot));
            } catch (IOException | RuntimeException e) {
                done();
                slot.close();
                throw e;
            }
        }

        @Override
        public boolean checkPresent(Key key) throws IOException {
            return with(t -> t.checkPresent(key));
        }

        @Override
        public PutOutcome put(Upload upload) throws IOException {
            try (TransferSlots.Slot job = jobs.take(); TransferSlots.Slot cpu = hashing.take()) {
                return with(t -> t.put(upload));
            }
        }

        @Override
        public PutOffsetOutcome putOffset(Key key) throws IOException {
            return with(t -> t.putOffset(key));
        }

        @Override
        public RemoveOutcome remove(Key key, OptionalLong before) throws IOException {
            return with(t -> t.remove(key, before));
        }

        @Override
        public long timestamp() {
            return clock.nowSeconds();
        }

        @Override
        public LockOutcome lockContent(Key key) throws IOException {
            return with(t -> t.lockContent(key));
        }

        @Override
        public Optional<KeptLock> keepLocked(LockId lockId) {
            LocalRepositoryTarget t = use();
            try {
                return t.keepLocked(lockId);
            } finally {
                done();
            }
        }
    }

    /** Content being sent: the state stays in use until it is closed. */
    private final class InUse implements ContentSource {
        private final ContentSource content;
        private final TransferSlots.Slot slot;
        private boolean closed;

        InUse(ContentSource content, TransferSlots.Slot slot) {
            this.content = content;
            this.slot = slot;
        }

        @Override
        public long lengthFrom(long offset) {
            return content.lengthFrom(offset);
        }

        @Override
        public long transferTo(long offset, ByteSink out, boolean signalInvalidity) throws IOException {
            return content.transferTo(offset, out, signalInvalidity);
        }

        @Override
        public boolean servesRanges() {
            return content.servesRanges();
        }

        @Override
        public long transferRange(long offset, long length, ByteSink out) throws IOException {
            return content.transferRange(offset, length, out);
        }

        @Override
        public boolean isLocal() {
            return content.isLocal();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                content.close();
            } finally {
                done();
                slot.close();
            }
        }
    }
}
