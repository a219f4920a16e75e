package io.annexgate.service;

import io.annexgate.locking.LockRegistry.KeptLock;
import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.ApiVersion;
import io.annexgate.protocol.Key;
import io.annexgate.protocol.LockId;
import io.annexgate.repository.ByteSink;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A proxied remote or a cluster as a request addresses it: its puts and gets (the whole body,
 * until the content is closed) take one of the serving repository's {@code --jobs} slots, as that
 * repository's own transfers do, waiting their turn in arrival order. Only the target a client
 * addresses takes a slot: the nodes a cluster reaches for one request share the cluster's.
 */
public final class SlottedTarget implements AnnexTarget {

    private final AnnexTarget target;
    private final TransferSlots jobs;

    public SlottedTarget(AnnexTarget target, TransferSlots jobs) {
        this.target = target;
        this.jobs = jobs;
    }

    @Override
    public AnnexUuid uuid() {
        return target.uuid();
    }

    @Override
    public AnnexTarget underlying() {
        return target.underlying();
    }

    @Override
    public AnnexTarget forRequest(ApiVersion version, Set<AnnexUuid> bypass) {
        return new SlottedTarget(target.forRequest(version, bypass), jobs);
    }

    @Override
    public Optional<ContentSource> get(Key key) throws IOException {
        TransferSlots.Slot slot = jobs.take();
        try {
            Optional<ContentSource> content = target.get(key);
            if (content.isEmpty()) {
                slot.close();
            }
            return content.map(c -> new Holding(c, slot));
        } catch (IOException | RuntimeException e) {
            slot.close();
            throw e;
        }
    }

    @Override
    public PutOutcome put(Upload upload) throws IOException {
        try (TransferSlots.Slot slot = jobs.take()) {
            return target.put(upload);
        }
    }

    @Override
    public boolean checkPresent(Key key) throws IOException {
        return target.checkPresent(key);
    }

    @Override
    public PutOffsetOutcome putOffset(Key key) throws IOException {
        return target.putOffset(key);
    }

    @Override
    public RemoveOutcome remove(Key key, OptionalLong before) throws IOException {
        return target.remove(key, before);
    }

    @Override
    public long timestamp() {
        return target.timestamp();
    }

    @Override
    public LockOutcome lockContent(Key key) throws IOException {
        return target.lockContent(key);
    }

    @Override
    public Optional<KeptLock> keepLocked(LockId lockId) {
        return target.keepLocked(lockId);
    }

    /** Content being sent, its slot held until it is closed. */
    private static final class Holding implements ContentSource {
        private final ContentSource content;
        private final TransferSlots.Slot slot;

        Holding(ContentSource content, TransferSlots.Slot slot) {
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
            try {
                content.close();
            } finally {
                slot.close();
            }
        }
    }
}
