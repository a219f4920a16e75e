package io.annexgate.proxy.http;

import io.annexgate.locking.LockRegistry;
import io.annexgate.locking.LockRegistry.KeptLock;
import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.ApiVersion;
import io.annexgate.protocol.InvalidValueException;
import io.annexgate.protocol.Key;
import io.annexgate.protocol.LockId;
import io.annexgate.repository.LocationLog;
import io.annexgate.service.AnnexTarget;
import io.annexgate.service.ContentSource;
import io.annexgate.service.LockOutcome;
import io.annexgate.service.ProxyUnavailable;
import io.annexgate.service.PutOffsetOutcome;
import io.annexgate.service.PutOutcome;
import io.annexgate.service.RemoveOutcome;
import io.annexgate.service.Upload;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A git remote the served repository proxies for that serves git-annex's P2P protocol over HTTP
 * (an {@code annex+http} url or {@code annexUrl}): each action is the same request to the remote's
 * API, at the client's version and with its bypass list. Content streams through in both
 * directions; a lock taken there is kept there by a keeplocked long poll for as long as the lock
 * registry here holds it. Successful puts and removes are recorded in the served repository's
 * location log.
 */
public final class HttpRemoteTarget implements AnnexTarget {

    private static final Logger log = LoggerFactory.getLogger(HttpRemoteTarget.class);

    private final P2pHttpRemote remote;
    private final LocationLog locationLog;
    private final LockRegistry locks;
    private final ApiVersion version;
    private final Set<AnnexUuid> bypass;
    private final Duration keepAlive;

    /**
     * @param locationLog the served repository's location log
     * @param locks the locks held at this remote through this server, bounded like the local ones
     */
    public HttpRemoteTarget(P2pHttpRemote remote, LocationLog locationLog, LockRegistry locks, ApiVersion version,
            Set<AnnexUuid> bypass) {
        this(remote, locationLog, locks, version, bypass, RemoteLock.KEEPALIVE);
    }

    /** As the public constructor, with the long polls keeping remote locks saying they are there every {@code keepAlive}. */
    HttpRemoteTarget(P2pHttpRemote remote, LocationLog locationLog, LockRegistry locks, ApiVersion version,
            Set<AnnexUuid> bypass, Duration keepAlive) {
        this.remote = remote;
        this.locationLog = locationLog;
        this.locks = locks;
        this.version = version;
        this.bypass = Set.copyOf(bypass);
        this.keepAlive = keepAlive;
    }

    @Override
    public AnnexUuid uuid() {
        return remote.uuid();
    }

    @Override
    public AnnexTarget forRequest(ApiVersion requested, Set<AnnexUuid> requestBypass) {
        return new HttpRemoteTarget(remote, locationLog, locks, requested, requestBypass, keepAlive);
    }

    private String key(Key key) {
        return P2pHttpRemote.wire(key);
    }

    @Override
    public Optional<ContentSource> get(Key key) {
        return Optional.of(new HttpRemoteContent(remote, version, bypass, key));
    }

    @Override
    public boolean checkPresent(Key key) throws IOException {
        return remote.flag(remote.post(version, "checkpresent", bypass, "key", key(key)), "present");
    }

    @Override
    public PutOutcome put(Upload upload) throws IOException {
        Key key = upload.key();
        boolean dataPresent = upload.dataPresent() && version.hasDataPresent();
        if (upload.dataPresent() && !dataPresent) {
            return new PutOutcome.NotStored("data-present needs v4", List.of());
        }
        String query = dataPresent
                ? remote.query(bypass, "key", key(key), "offset", Long.toString(upload.offset()), "data-present", "true")
                : remote.query(bypass, "key", key(key), "offset", Long.toString(upload.offset()));
        PumpedBody body = dataPresent ? null : PumpedBody.of(upload.body(), upload.dataLength(),
                "annexgate-put-" + remote.name());
        HttpRequest request = remote.request(version, "put", query)
                .header("Content-Type", "application/octet-stream")
                .header(P2pHttpRemote.DATA_LENGTH, Long.toString(dataPresent ? 0 : upload.dataLength()))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : body)
                .build();
        JsonNode answer;
        try {
            answer = remote.json(sendReleasingBody(request, body));
        } catch (IOException e) {
            // A remote that has the key already may answer before reading the body and close the
            // connection under it, which surfaces here as a failed send: ask it whether it has the key.
            if (presentAfterFailedPut(key)) {
                log.debug("put of {} to {} broke off, but the remote has it", key.serialize(), remote.name());
                locationLog.record(key, remote.uuid(), true);
                return new PutOutcome.Stored(List.of());
            }
            log.info("put of {} to {} failed: {}", key.serialize(), remote.name(), P2pHttpRemote.describe(e));
            return new PutOutcome.NotStored("remote failed: " + P2pHttpRemote.describe(e), List.of());
        }
        List<AnnexUuid> plus = P2pHttpRemote.plusUuids(answer);
        if (!remote.flag(answer, "stored")) {
            return new PutOutcome.NotStored("remote did not store it", plus);
        }
        locationLog.record(key, remote.uuid(), true);
        return new PutOutcome.Stored(plus);
    }

    /** Sends the put; when it returns, however it ended, the client's body is no longer being read. */
    private HttpResponse<String> sendReleasingBody(HttpRequest request, PumpedBody body) throws IOException {
        try {
            return remote.send(request, HttpResponse.BodyHandlers.ofString());
        } finally {
            if (body != null) {
                try {
                    body.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private boolean presentAfterFailedPut(Key key) {
        try {
            return checkPresent(key);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public PutOffsetOutcome putOffset(Key key) throws IOException {
        JsonNode answer = remote.post(version, "putoffset", bypass, "key", key(key));
        if (answer.path("alreadyhave").asBoolean(false)) {
            return new PutOffsetOutcome.AlreadyHave(P2pHttpRemote.plusUuids(answer));
        }
        JsonNode offset = answer.get("offset");
        if (offset == null || !offset.canConvertToLong() || offset.asLong() < 0) {
            throw new ProxyUnavailable("remote " + remote.name() + " answered putoffset with " + answer);
        }
        return new PutOffsetOutcome.Offset(offset.asLong());
    }

    /** remove, or remove-before with the remote's own timestamp (from v3; older versions have no such endpoint). */
    @Override
    public RemoveOutcome remove(Key key, OptionalLong before) throws IOException {
        JsonNode answer = before.isPresent() && version.atLeast(ApiVersion.V3)
                ? remote.post(version, "remove-before", bypass, "key", key(key),
                        "timestamp", Long.toString(before.getAsLong()))
                : remote.post(version, "remove", bypass, "key", key(key));
        List<AnnexUuid> plus = P2pHttpRemote.plusUuids(answer);
        if (!remote.flag(answer, "removed")) {
            return new RemoveOutcome.NotRemoved("remote did not remove it", plus);
        }
        locationLog.record(key, remote.uuid(), false);
        return new RemoveOutcome.Removed(plus);
    }

    /** The remote's monotonic clock (gettimestamp exists from v3; an older request asks at v3). */
    @Override
    public long timestamp() {
        ApiVersion at = version.atLeast(ApiVersion.V3) ? version : ApiVersion.V3;
        JsonNode timestamp = remote.post(at, "gettimestamp", bypass).get("timestamp");
        if (timestamp == null || !timestamp.canConvertToLong()) {
            throw new ProxyUnavailable("remote " + remote.name() + " answered gettimestamp without a timestamp");
        }
        return timestamp.asLong();
    }

    /**
     * lockcontent there; a lock it grants is kept there until the registry here releases ours, or
     * leaves the registry at once when the remote stops keeping it.
     */
    @Override
    public LockOutcome lockContent(Key key) throws IOException {
        if (locks.held() >= locks.limit()) {
            return new LockOutcome.NotLocked("lockedfiles limit");
        }
        JsonNode answer = remote.post(version, "lockcontent", bypass, "key", key(key));
        if (!remote.flag(answer, "locked")) {
            return new LockOutcome.NotLocked("remote could not lock");
        }
        LockId remoteLockId;
        try {
            remoteLockId = LockId.fromWire(answer.path("lockid").asString(""));
        } catch (InvalidValueException e) {
            throw new ProxyUnavailable("remote " + remote.name() + " answered lockcontent without a lock id");
        }
        RemoteLock held = RemoteLock.keep(remote, version, bypass, key, remoteLockId, keepAlive);
        Optional<LockId> id = locks.register(held::release);
        if (id.isEmpty()) {
            held.release(true);
            return new LockOutcome.NotLocked("lockedfiles limit");
        }
        held.lost().thenRun(() -> locks.lost(id.get()));
        return new LockOutcome.Locked(id.get());
    }

    @Override
    public Optional<KeptLock> keepLocked(LockId lockId) {
        return locks.keep(lockId);
    }
}
