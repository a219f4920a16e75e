package io.annexgate.proxy.special;

import io.annexgate.locking.LockRegistry.KeptLock;
import io.annexgate.locking.MonotonicClock;
import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import io.annexgate.protocol.LockId;
import io.annexgate.repository.ByteSink;
import io.annexgate.repository.ContentHasher;
import io.annexgate.repository.LocationLog;
import io.annexgate.service.AnnexTarget;
import io.annexgate.service.ContentSource;
import io.annexgate.service.LockOutcome;
import io.annexgate.service.PutOffsetOutcome;
import io.annexgate.service.ProxyUnavailable;
import io.annexgate.service.PutOutcome;
import io.annexgate.service.RemoveOutcome;
import io.annexgate.service.Upload;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A special remote the served repository proxies for, stored to by Annexgate itself. As git-annex's
 * proxy does: puts always start at offset 0 and are verified against the key before they become
 * visible on the remote; content cannot be locked; the timestamp is the server's own clock.
 * Successful puts and removes are recorded in the served repository's location log.
 */
public final class SpecialRemoteTarget implements AnnexTarget {

    private static final Logger log = LoggerFactory.getLogger(SpecialRemoteTarget.class);
    private static final List<AnnexUuid> NONE = List.of();

    private final AnnexUuid uuid;
    private final SpecialRemote remote;
    private final LocationLog locationLog;
    private final MonotonicClock monotonicClock;

    public SpecialRemoteTarget(AnnexUuid uuid, SpecialRemote remote, LocationLog locationLog,
            MonotonicClock monotonicClock) {
        this.uuid = uuid;
        this.remote = remote;
        this.locationLog = locationLog;
        this.monotonicClock = monotonicClock;
    }

    @Override
    public AnnexUuid uuid() {
        return uuid;
    }

    @Override
    public Optional<ContentSource> get(Key key) {
        try {
            return remote.retrieve(key).map(StoredContent::new);
        } catch (SpecialRemote.Unavailable | SpecialRemote.Refused e) {
            throw unavailable(e);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** What git-annex's proxy answers as an ERROR from the special remote: the remote cannot serve this now. */
    private ProxyUnavailable unavailable(IOException e) {
        return new ProxyUnavailable("proxied special remote reports: " + e.getMessage(), e);
    }

    /** The remote could not be used: answered 502 with the reason, as for a remote reached over P2P. */
    private ProxyUnavailable failed(IOException e) {
        log.info("special remote {} failed: {}", remote.description(), e.toString());
        return new ProxyUnavailable("remote " + remote.description() + " failed: " + e.getMessage(), e);
    }

    /** Content read from the remote; the client verifies it. */
    private record StoredContent(SpecialRemote.StoredObject object) implements ContentSource {

        @Override
        public long lengthFrom(long offset) {
            return Math.max(0, object.size() - offset);
        }

        @Override
        public long transferTo(long offset, ByteSink out, boolean signalInvalidity) throws IOException {
            return object.transferTo(offset, out);
        }

        @Override
        public void close() throws IOException {
            object.close();
        }
    }

    @Override
    public boolean checkPresent(Key key) {
        try {
            return remote.checkPresent(key);
        } catch (SpecialRemote.Unavailable e) {
            throw unavailable(e);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public PutOutcome put(Upload upload) throws IOException {
        Key key = upload.key();
        if (checkPresent(key)) {
            locationLog.record(key, uuid, true);
            return new PutOutcome.Stored(NONE);
        }
        if (upload.dataPresent()) {
            return new PutOutcome.NotStored("data-present but not on the remote", NONE);
        }
        if (upload.offset() != 0) {
            return new PutOutcome.NotStored("special remotes take puts from offset 0 only", NONE);
        }
        if (key.size().isPresent() && key.size().getAsLong() != upload.dataLength()) {
            return new PutOutcome.NotStored("data-length differs from the key's size", NONE);
        }
        Optional<ContentHasher> hasher = ContentHasher.forKey(key);
        try (SpecialRemote.Storing storing = remote.store(key, upload.dataLength())) {
            long received = upload.copyBodyTo(hasher.map(h -> hashing(storing.out(), h)).orElse(storing.out()));
            if (received != upload.dataLength() || upload.body().read() >= 0) {
                log.info("put of {} to {}: {} bytes of {} announced; not stored", key.serialize(),
                        remote.description(), received, upload.dataLength());
                return new PutOutcome.NotStored("short or overlong body", NONE);
            }
            if (hasher.isPresent() && !hasher.get().matchesKey()) {
                log.info("put of {} to {} failed verification; not stored", key.serialize(), remote.description());
                return new PutOutcome.NotStored("verification", NONE);
            }
            storing.commit();
        } catch (SpecialRemote.Refused e) {
            log.info("put of {} to {} refused: {}", key.serialize(), remote.description(), e.getMessage());
            return new PutOutcome.NotStored(e.getMessage(), NONE);
        } catch (SpecialRemote.Unavailable e) {
            throw unavailable(e);
        } catch (IOException e) {
            throw failed(e);
        }
        locationLog.record(key, uuid, true);
        return new PutOutcome.Stored(NONE);
    }

    /** {@code out}, with every byte written also hashed by {@code hasher}. */
    private static OutputStream hashing(OutputStream out, ContentHasher hasher) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                hasher.update(b, off, len);
                out.write(b, off, len);
            }
        };
    }

    @Override
    public PutOffsetOutcome putOffset(Key key) throws IOException {
        if (checkPresent(key)) {
            return new PutOffsetOutcome.AlreadyHave(NONE);
        }
        return new PutOffsetOutcome.Offset(0);
    }

    @Override
    public RemoveOutcome remove(Key key, OptionalLong before) throws IOException {
        if (before.isPresent() && monotonicClock.nowSeconds() >= before.getAsLong()) {
            return new RemoveOutcome.NotRemoved("too late", NONE);
        }
        try {
            if (!remote.remove(key)) {
                return new RemoveOutcome.NotRemoved("the remote did not remove it", NONE);
            }
        } catch (SpecialRemote.Refused e) {
            log.info("remove of {} from {} refused: {}", key.serialize(), remote.description(), e.getMessage());
            return new RemoveOutcome.NotRemoved(e.getMessage(), NONE);
        } catch (SpecialRemote.Unavailable e) {
            throw unavailable(e);
        } catch (IOException e) {
            throw failed(e);
        }
        locationLog.record(key, uuid, false);
        return new RemoveOutcome.Removed(NONE);
    }

    @Override
    public long timestamp() {
        return monotonicClock.nowSeconds();
    }

    /** Special remotes cannot lock content, so a client wanting a locked copy looks elsewhere. */
    @Override
    public LockOutcome lockContent(Key key) {
        return new LockOutcome.NotLocked("special remotes cannot lock content");
    }

    @Override
    public Optional<KeptLock> keepLocked(LockId lockId) {
        return Optional.empty();
    }
}
