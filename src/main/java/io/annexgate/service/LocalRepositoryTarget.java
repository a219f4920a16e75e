package io.annexgate.service;

import io.annexgate.locking.LockRegistry;
import io.annexgate.locking.LockRegistry.KeptLock;
import io.annexgate.locking.MonotonicClock;
import io.annexgate.metrics.AnnexgateMetrics;
import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import io.annexgate.protocol.LockId;
import io.annexgate.repository.AnnexRepository;
import io.annexgate.repository.ByteSink;
import io.annexgate.repository.ContentLocks;
import io.annexgate.repository.ContentLocks.RemovalLock;
import io.annexgate.repository.ContentLocks.SharedContentLock;
import io.annexgate.repository.LocationLog;
import io.annexgate.repository.ObjectContent;
import io.annexgate.repository.ObjectStore;
import io.annexgate.repository.Reception;
import io.annexgate.repository.StagedUpload;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The repository this server serves itself: protocol actions on its own object store and logs. */
public final class LocalRepositoryTarget implements AnnexTarget {

    private static final Logger log = LoggerFactory.getLogger(LocalRepositoryTarget.class);
    private static final List<AnnexUuid> NONE = List.of();

    private final AnnexRepository repository;
    private final ObjectStore store;
    private final ContentLocks contentLocks;
    private final LocationLog locationLog;
    private final LockRegistry lockRegistry;
    private final MonotonicClock monotonicClock;
    private final Clock wallClock;
    private final AnnexgateMetrics metrics;
    /** Keys being received right now: a second upload of one of them is refused, as git-annex's transfer lock does. */
    private final Set<String> receiving = ConcurrentHashMap.newKeySet();
    private final KeyStripes keyStripes = new KeyStripes();

    public LocalRepositoryTarget(AnnexRepository repository, ObjectStore store, ContentLocks contentLocks,
            LocationLog locationLog, LockRegistry lockRegistry, MonotonicClock monotonicClock, Clock wallClock,
            AnnexgateMetrics metrics) {
        this.repository = repository;
        this.store = store;
        this.contentLocks = contentLocks;
        this.locationLog = locationLog;
        this.lockRegistry = lockRegistry;
        this.monotonicClock = monotonicClock;
        this.wallClock = wallClock;
        this.metrics = metrics;
    }

    public AnnexRepository repository() {
        return repository;
    }

    @Override
    public AnnexUuid uuid() {
        return repository.uuid();
    }

    @Override
    public Optional<ContentSource> get(Key key) throws IOException {
        return store.open(key).map(LocalContent::new);
    }

    /** An object file being sent. */
    private final class LocalContent implements ContentSource {
        private final ObjectContent content;
        private final AnnexgateMetrics.InFlight inFlight = metrics.download();

        LocalContent(ObjectContent content) {
            this.content = content;
        }

        @Override
        public long lengthFrom(long offset) {
            return content.lengthFrom(offset);
        }

        @Override
        public long transferTo(long offset, ByteSink out, boolean signalInvalidity) throws IOException {
            long sent = content.transferTo(offset, out, signalInvalidity);
            metrics.bytesSent(sent);
            return sent;
        }

        @Override
        public boolean servesRanges() {
            return true;
        }

        @Override
        public long transferRange(long offset, long length, ByteSink out) throws IOException {
            long sent = content.transferRange(offset, length, out);
            metrics.bytesSent(sent);
            return sent;
        }

        @Override
        public void close() throws IOException {
            inFlight.close();
            content.close();
        }
    }

    @Override
    public boolean checkPresent(Key key) {
        return store.contains(key);
    }

    @Override
    public PutOutcome put(Upload upload) throws IOException {
        Key key = upload.key();
        if (store.contains(key)) {
            boolean stillHere = keyStripes.holding(key, () -> {
                if (!store.contains(key)) {
                    return false;
                }
                if (!locationLog.says(key, uuid())) {
                    // an earlier put stored it but could not log it (a full disk): log it now
                    locationLog.record(key, uuid(), true);
                }
                return true;
            });
            if (stillHere) {
                return new PutOutcome.Stored(NONE);
            }
        }
        if (upload.dataPresent()) {
            return new PutOutcome.NotStored("data-present but not here", NONE);
        }
        String name = key.serialize();
        if (!receiving.add(name)) {
            throw new ProtocolFailure("transfer already in progress, or unable to take transfer lock");
        }
        try (AnnexgateMetrics.InFlight ignored = metrics.upload()) {
            return receive(upload);
        } finally {
            receiving.remove(name);
        }
    }

    private PutOutcome receive(Upload upload) throws IOException {
        Key key = upload.key();
        if (!roomFor(upload.dataLength())) {
            log.warn("not storing {}: less than annex.diskreserve ({} bytes) would stay free", key.serialize(),
                    repository.diskReserve());
            return new PutOutcome.NotStored("disk reserve", NONE);
        }
        StagedUpload staged = StagedUpload.begin(key, store.stagingFile(key));
        Reception reception = staged.receive(upload.offset(), upload.dataLength(), upload.body(), metrics::bytesReceived);
        if (reception instanceof Reception.NotWritten failed) {
            log.warn("not storing {}: cannot write to {}: {}", key.serialize(), repository.tmpDir(),
                    failed.cause().toString());
            return new PutOutcome.NotStored("not written", NONE);
        }
        if (!(reception instanceof Reception.Complete)) {
            log.debug("put of {} not stored: {}", key.serialize(), reception);
            return new PutOutcome.NotStored(reception.getClass().getSimpleName().toLowerCase(), NONE);
        }
        if (!staged.verify()) {
            staged.discard();
            metrics.verificationFailed();
            log.info("put of {} failed verification; partial content discarded", key.serialize());
            return new PutOutcome.NotStored("verification", NONE);
        }
        return keyStripes.holding(key, () -> {
            try {
                store.commit(key, staged.staging());
            } catch (IOException e) {
                // the verified file stays in annex/tmp: a retry of the put finds it whole and commits it
                log.warn("not storing {}: cannot move it into annex/objects: {}", key.serialize(), e.toString());
                return new PutOutcome.NotStored("not committed", NONE);
            }
            locationLog.record(key, uuid(), true);
            return new PutOutcome.Stored(NONE);
        });
    }

    /** Whether {@code incoming} bytes fit and still leave git-annex's disk reserve free. */
    private boolean roomFor(long incoming) throws IOException {
        Path dir = java.nio.file.Files.exists(repository.tmpDir()) ? repository.tmpDir() : repository.annexDir();
        long usable = java.nio.file.Files.getFileStore(dir).getUsableSpace();
        return usable - incoming >= repository.diskReserve();
    }

    @Override
    public PutOffsetOutcome putOffset(Key key) {
        if (store.contains(key)) {
            return new PutOffsetOutcome.AlreadyHave(NONE);
        }
        return new PutOffsetOutcome.Offset(store.stagedSize(key));
    }

    @Override
    public RemoveOutcome remove(Key key, OptionalLong before) throws IOException {
        if (!store.contains(key)) {
            return new RemoveOutcome.Removed(NONE);
        }
        Optional<RemovalLock> removal = contentLocks.lockForRemoval(key);
        if (removal.isEmpty()) {
            return new RemoveOutcome.NotRemoved("locked", NONE);
        }
        try (RemovalLock ignored = removal.get()) {
            return keyStripes.holding(key, () -> {
                if (before.isPresent() && monotonicClock.nowSeconds() >= before.getAsLong()) {
                    return new RemoveOutcome.NotRemoved("too late", NONE);
                }
                if (store.contains(key)) {
                    store.delete(key);
                    locationLog.record(key, uuid(), false);
                }
                return new RemoveOutcome.Removed(NONE);
            });
        }
    }

    @Override
    public long timestamp() {
        return monotonicClock.nowSeconds();
    }

    @Override
    public LockOutcome lockContent(Key key) throws IOException {
        if (lockRegistry.held() >= lockRegistry.limit()) {
            metrics.lockRefused();
            return new LockOutcome.NotLocked("lockedfiles limit");
        }
        if (!store.contains(key)) {
            return new LockOutcome.NotLocked("absent");
        }
        Optional<SharedContentLock> shared = contentLocks.lockShared(key,
                wallClock.instant().plus(LockRegistry.RETENTION));
        if (shared.isEmpty()) {
            return new LockOutcome.NotLocked("being removed");
        }
        if (!store.contains(key)) {
            shared.get().release(true);
            return new LockOutcome.NotLocked("absent");
        }
        Optional<LockId> id = lockRegistry.register(shared.get()::release);
        if (id.isEmpty()) {
            shared.get().release(true);
            metrics.lockRefused();
            return new LockOutcome.NotLocked("lockedfiles limit");
        }
        return new LockOutcome.Locked(id.get());
    }

    @Override
    public Optional<KeptLock> keepLocked(LockId lockId) {
        return lockRegistry.keep(lockId);
    }
}
