package io.annexgate.proxy.http;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.ApiVersion;
import io.annexgate.protocol.Key;
import io.annexgate.protocol.LockId;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lock a remote holds for us, kept the way the git-annex client keeps it: a keeplocked long poll
 * whose body stays open, starting with {@code {"unlock":false}} (the remote then holds the lock with
 * no expiry), repeated now and then so idle timeouts between here and there do not end it, and
 * ending with {@code {"unlock":true}} when our own lock is released. Released without dropping the
 * retention (shutdown), the body just ends, and the remote does what it does with an abandoned lock.
 * A long poll that ends before that means the remote no longer holds the lock for us: it is
 * {@linkplain #lost() lost}.
 */
final class RemoteLock {

    private static final Logger log = LoggerFactory.getLogger(RemoteLock.class);

    /**
     * How often the long poll says it is still there. Idle timeouts between here and there must not
     * end it, and a connection that broke is only noticed when written to (the HTTP client reads the
     * answer once the body has ended), so this also bounds how long a lost remote lock goes unseen.
     */
    static final Duration KEEPALIVE = Duration.ofSeconds(15);

    private static final String KEEP = "{\"unlock\":false}\n";
    private static final String UNLOCK = "{\"unlock\":true}\n";
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final P2pHttpRemote remote;
    private final Key key;
    private final Duration keepAlive;
    private final LinkedBlockingQueue<ByteBuffer> ending = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> lost = new CompletableFuture<>();
    private volatile boolean released;
    private boolean started;
    private boolean finished;

    private RemoteLock(P2pHttpRemote remote, Key key, Duration keepAlive) {
        this.remote = remote;
        this.key = key;
        this.keepAlive = keepAlive;
    }

    /**
     * Starts keeping the remote's lock {@code lockId} (on {@code key}) at {@code version}, saying so
     * again every {@code keepAlive}.
     */
    static RemoteLock keep(P2pHttpRemote remote, ApiVersion version, Set<AnnexUuid> bypass, Key key, LockId lockId,
            Duration keepAlive) {
        RemoteLock lock = new RemoteLock(remote, key, keepAlive);
        HttpRequest request = remote.request(version, "keeplocked", remote.query(bypass, "lockid", lockId.toWire()))
                .header("Content-Type", "application/json")
                .header("Keep-Alive", "timeout=1200")
                .POST(new PumpedBody(lock::next, "annexgate-keeplocked-" + remote.name()))
                .build();
        remote.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            if (!lock.released) {
                log.info("lock on {} at remote {} is gone: its keeplocked ended ({})", key.serialize(),
                        remote.name(), failure != null ? P2pHttpRemote.describe(failure) : response.body());
                lock.lost.complete(null);
            } else if (failure != null) {
                log.warn("keeping the lock on {} at remote {} failed: {}", key.serialize(), remote.name(),
                        P2pHttpRemote.describe(failure));
            } else if (response.statusCode() != 200) {
                log.warn("keeping the lock on {} at remote {}: answered {} {}", key.serialize(), remote.name(),
                        response.statusCode(), response.body());
            } else {
                log.debug("lock on {} at remote {} ended", key.serialize(), remote.name());
            }
        });
        return lock;
    }

    /** The long poll's body: keep, keep again every {@code keepAlive}, then unlock or just end. */
    private ByteBuffer next() throws InterruptedException {
        synchronized (this) {
            if (finished) {
                return null;
            }
            if (!started) {
                started = true;
                return PumpedBody.text(KEEP);
            }
        }
        ByteBuffer last = ending.poll(keepAlive.toMillis(), TimeUnit.MILLISECONDS);
        if (last == null) {
            return PumpedBody.text(KEEP);
        }
        synchronized (this) {
            finished = true;
        }
        return last == END ? null : last;
    }

    /** Ends keeping: with {@code unlock}, the remote lets go at once. */
    void release(boolean unlock) {
        released = true;
        ending.offer(unlock ? PumpedBody.text(UNLOCK) : END);
    }

    /**
     * Completes when the remote's lock went away before {@link #release}: the long poll keeping it
     * ended (the remote answered it, the connection broke, the remote went away).
     */
    CompletionStage<Void> lost() {
        return lost;
    }
}
