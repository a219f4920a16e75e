package io.annexgate.proxy;

import io.annexgate.locking.LockRegistry;
import io.annexgate.locking.LockRegistry.KeptLock;
import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.ApiVersion;
import io.annexgate.protocol.Key;
import io.annexgate.protocol.LockId;
import io.annexgate.proxy.p2p.P2PConnection;
import io.annexgate.proxy.p2p.P2PConnection.HeldLock;
import io.annexgate.proxy.pool.PoolKey;
import io.annexgate.proxy.pool.ProxyConnectionPool;
import io.annexgate.proxy.pool.ProxyConnectionPool.Lease;
import io.annexgate.service.AnnexTarget;
import io.annexgate.service.ContentSource;
import io.annexgate.service.LockOutcome;
import io.annexgate.service.ProxyBusy;
import io.annexgate.service.ProxyUnavailable;
import io.annexgate.service.PutOffsetOutcome;
import io.annexgate.service.PutOutcome;
import io.annexgate.service.RemoveOutcome;
import io.annexgate.service.Upload;
import java.io.EOFException;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote the served repository proxies for: every action goes over a pooled P2P connection
 * opened at the client's protocol version. A connection goes back to the pool only when the
 * action left it in a known state; a held lock keeps its connection until unlock or expiry.
 * Successful puts and removes are recorded in the served repository's location log.
 */
public final class ProxiedRemoteTarget implements AnnexTarget {

    private static final Logger log = LoggerFactory.getLogger(ProxiedRemoteTarget.class);

    private final ProxiedRemote remote;
    private final ProxiedRemotes remotes;
    private final PoolKey poolKey;

    ProxiedRemoteTarget(ProxiedRemote remote, ProxiedRemotes remotes, int version, Set<AnnexUuid> bypass) {
        this.remote = remote;
        this.remotes = remotes;
        this.poolKey = new PoolKey(remote.uuid(), Math.min(version, P2PConnection.MAX_VERSION), bypass);
    }

    @Override
    public AnnexUuid uuid() {
        return remote.uuid();
    }

    @Override
    public AnnexTarget forRequest(ApiVersion version, Set<AnnexUuid> bypass) {
        return new ProxiedRemoteTarget(remote, remotes, version.number(), bypass);
    }

    /** A connection for this request, or 502 when none can be had (503 when the remote has all it may). */
    private Lease<P2PConnection> lease() {
        if (remote.route() instanceof RemoteRoute.Unreachable(String reason)) {
            throw new ProxyUnavailable(reason);
        }
        try {
            return remotes.pool().acquire(poolKey);
        } catch (ProxyConnectionPool.ConnectionsExhausted e) {
            throw new ProxyBusy("remote " + remote.name() + " is busy: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ProxyUnavailable("cannot reach remote " + remote.name() + ": " + e.getMessage(), e);
        }
    }

    private ProxyUnavailable failed(IOException e) {
        return new ProxyUnavailable("remote " + remote.name() + " failed: " + e.getMessage(), e);
    }

    @Override
    public Optional<ContentSource> get(Key key) {
        return Optional.of(new RemoteContent(key, lease()));
    }

    @Override
    public boolean checkPresent(Key key) {
        try (Lease<P2PConnection> lease = lease()) {
            return lease.connection().checkPresent(key);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public PutOutcome put(Upload upload) throws IOException {
        PutOutcome outcome;
        try (Lease<P2PConnection> lease = lease()) {
            P2PConnection c = lease.connection();
            if (upload.dataPresent()) {
                if (c.version() < 4) {
                    return new PutOutcome.NotStored("remote too old for data-present", java.util.List.of());
                }
                outcome = c.putDataPresent(upload.key());
            } else {
                outcome = c.put(upload.key(), upload.offset(), upload.body(), upload.dataLength());
            }
        } catch (IOException e) {
            log.info("put of {} to {} failed: {}", upload.key().serialize(), remote.name(), e.getMessage());
            return new PutOutcome.NotStored("remote failed: " + e.getMessage(), java.util.List.of());
        }
        if (outcome instanceof PutOutcome.Stored) {
            remote.via().locationLog().record(upload.key(), remote.uuid(), true);
        }
        return outcome;
    }

    @Override
    public PutOffsetOutcome putOffset(Key key) {
        try (Lease<P2PConnection> lease = lease()) {
            return lease.connection().putOffset(key);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /**
     * REMOVE or REMOVE-BEFORE with the remote's own timestamp. git-annex-shell exits rather than
     * remove locked content, so the connection ending here means not removed.
     */
    @Override
    public RemoveOutcome remove(Key key, OptionalLong before) throws IOException {
        RemoveOutcome outcome;
        try (Lease<P2PConnection> lease = lease()) {
            P2PConnection c = lease.connection();
            outcome = before.isPresent() ? c.removeBefore(before.getAsLong(), key) : c.remove(key);
        } catch (EOFException e) {
            log.info("remote {} ended the connection on removing {} (locked there): not removed", remote.name(),
                    key.serialize());
            return new RemoveOutcome.NotRemoved("remote ended the connection", java.util.List.of());
        } catch (IOException e) {
            throw failed(e);
        }
        if (outcome instanceof RemoveOutcome.Removed) {
            remote.via().locationLog().record(key, remote.uuid(), false);
        }
        return outcome;
    }

    /** The remote's monotonic clock; a remote too old for GETTIMESTAMP gets plain REMOVE anyway, so ours does. */
    @Override
    public long timestamp() {
        try (Lease<P2PConnection> lease = lease()) {
            return lease.connection().getTimestamp();
        } catch (UnsupportedOperationException e) {
            return remotes.monotonicClock().nowSeconds();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /**
     * LOCKCONTENT; a lock held keeps its connection, out of the pool, until it is released. The
     * lock is only as good as that connection: when it ends, the lock leaves the registry (and its
     * keeplocked ends) at once.
     */
    @Override
    public LockOutcome lockContent(Key key) {
        LockRegistry registry = remotes.lockRegistry(remote.uuid());
        if (registry.held() >= registry.limit()) {
            return new LockOutcome.NotLocked("lockedfiles limit");
        }
        Lease<P2PConnection> lease = lease();
        Optional<HeldLock> held;
        try {
            held = lease.connection().lockContent(key);
        } catch (IOException e) {
            lease.close();
            throw failed(e);
        }
        if (held.isEmpty()) {
            lease.close();
            return new LockOutcome.NotLocked("remote could not lock");
        }
        HeldLock lock = held.get();
        Optional<LockId> id = registry.register(dropRetention -> release(lock, lease));
        if (id.isEmpty()) {
            release(lock, lease);
            return new LockOutcome.NotLocked("lockedfiles limit");
        }
        lock.lost().thenRun(() -> {
            log.info("lock on {} at remote {} is gone: the connection holding it ended", key.serialize(),
                    remote.name());
            registry.lost(id.get());
        });
        return new LockOutcome.Locked(id.get());
    }

    private void release(HeldLock lock, Lease<P2PConnection> lease) {
        try {
            lock.unlock();
        } catch (IOException e) {
            log.debug("unlocking {} on {} failed: {}", lock.key().serialize(), remote.name(), e.getMessage());
        } finally {
            lease.close();
        }
    }

    @Override
    public Optional<KeptLock> keepLocked(LockId lockId) {
        return remotes.lockRegistry(remote.uuid()).keep(lockId);
    }
}
