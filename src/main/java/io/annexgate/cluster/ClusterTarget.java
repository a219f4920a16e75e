package io.annexgate.cluster;

import io.annexgate.locking.LockRegistry.KeptLock;
import io.annexgate.locking.MonotonicClock;
import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.ApiVersion;
import io.annexgate.protocol.Key;
import io.annexgate.protocol.LockId;
import io.annexgate.repository.ByteSink;
import io.annexgate.service.AnnexTarget;
import io.annexgate.service.ContentSource;
import io.annexgate.service.LockOutcome;
import io.annexgate.service.PutOffsetOutcome;
import io.annexgate.service.PutOutcome;
import io.annexgate.service.RemoveOutcome;
import io.annexgate.service.ServedState;
import io.annexgate.service.Upload;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster: each action fans out to its nodes (proxied remotes), as git-annex's gateway does.
 * checkpresent and get ask a node the location log says has the key; put goes to the nodes that do
 * not have it yet (else all); remove and remove-before go to every node, with the client's
 * deadline translated onto each node's own clock; clusters do not lock. Answers list the nodes
 * affected in {@code plusuuids}.
 */
final class ClusterTarget implements AnnexTarget {

    private static final Logger log = LoggerFactory.getLogger(ClusterTarget.class);

    private final Cluster cluster;
    private final Function<AnnexUuid, Optional<AnnexTarget>> nodeTargets;
    private final MonotonicClock clock;
    private final FanOut fanOut;
    private final ApiVersion version;
    private final Set<AnnexUuid> bypass;

    ClusterTarget(Cluster cluster, Function<AnnexUuid, Optional<AnnexTarget>> nodeTargets, MonotonicClock clock,
            FanOut fanOut, ApiVersion version, Set<AnnexUuid> bypass) {
        this.cluster = cluster;
        this.nodeTargets = nodeTargets;
        this.clock = clock;
        this.fanOut = fanOut;
        this.version = version;
        this.bypass = Set.copyOf(bypass);
    }

    @Override
    public AnnexUuid uuid() {
        return cluster.uuid();
    }

    @Override
    public AnnexTarget forRequest(ApiVersion v, Set<AnnexUuid> through) {
        return new ClusterTarget(cluster, nodeTargets, clock, fanOut, v, through);
    }

    /** The nodes this request may use: not bypassed, not the gateway itself, each at the request's version. */
    private List<AnnexTarget> nodes() {
        List<AnnexTarget> nodes = new ArrayList<>();
        for (AnnexUuid node : cluster.nodes()) {
            if (!bypass.contains(node) && !node.equals(cluster.gateway().repository().uuid())) {
                nodeTargets.apply(node).ifPresent(t -> nodes.add(t.forRequest(version, bypass)));
            }
        }
        return nodes;
    }

    private List<AnnexTarget> loggedWith(Key key, boolean present) throws IOException {
        List<AnnexTarget> found = new ArrayList<>();
        for (AnnexTarget node : nodes()) {
            if (cluster.gateway().locationLog().says(key, node.uuid()) == present) {
                found.add(node);
            }
        }
        return found;
    }

    @Override
    public boolean checkPresent(Key key) throws IOException {
        for (AnnexTarget node : loggedWith(key, true)) {
            try {
                if (node.checkPresent(key)) {
                    return true;
                }
            } catch (RuntimeException e) {
                log.debug("cluster {}: checkpresent on {} failed: {}", cluster.name(), node.uuid(), e.getMessage());
            }
        }
        return false;
    }

    @Override
    public Optional<ContentSource> get(Key key) throws IOException {
        for (AnnexTarget node : loggedWith(key, true)) {
            try {
                if (node.checkPresent(key)) {
                    return node.get(key);
                }
            } catch (RuntimeException e) {
                log.debug("cluster {}: get from {} failed: {}", cluster.name(), node.uuid(), e.getMessage());
            }
        }
        return Optional.of(NoContent.INSTANCE);
    }

    /** What a cluster without the key sends: no bytes, as git-annex's gateway answers with empty DATA. */
    private enum NoContent implements ContentSource {
        INSTANCE;

        @Override
        public long lengthFrom(long offset) {
            return 0;
        }

        @Override
        public long transferTo(long offset, ByteSink out, boolean signalInvalidity) {
            return 0;
        }

        @Override
        public boolean isLocal() {
            return false;
        }

        @Override
        public void close() {
        }
    }

    /** The nodes a put goes to: those not logged as having the key, else all. */
    private List<AnnexTarget> putTargets(Key key) throws IOException {
        List<AnnexTarget> missing = loggedWith(key, false);
        return missing.isEmpty() ? nodes() : missing;
    }

    /**
     * Every node asked; the key is already there when every chosen node has it, else a put starts
     * at the lowest offset a node asks for (each node then skips what it already has).
     */
    @Override
    public PutOffsetOutcome putOffset(Key key) throws IOException {
        List<AnnexTarget> targets = putTargets(key);
        List<AnnexUuid> have = new ArrayList<>();
        long lowest = Long.MAX_VALUE;
        for (FanOut.Result<AnnexTarget, PutOffsetOutcome> r : fanOut.run(targets, n -> n.putOffset(key))) {
            if (!r.ok()) {
                continue;
            }
            switch (r.value()) {
                case PutOffsetOutcome.AlreadyHave a -> have.add(r.node().uuid());
                case PutOffsetOutcome.Offset o -> lowest = Math.min(lowest, o.offset());
            }
        }
        if (!targets.isEmpty() && have.size() == targets.size()) {
            return new PutOffsetOutcome.AlreadyHave(have);
        }
        return new PutOffsetOutcome.Offset(lowest == Long.MAX_VALUE ? 0 : lowest);
    }

    /**
     * The client's body is relayed to every chosen node at once as it arrives (no copy on the
     * gateway), each node on a virtual thread of its own taking the put as it would from a client:
     * it skips what it has already (its own offset), verifies what it receives, and answers; a node
     * that has the key or fails is left out of the relay. All chosen nodes receive at once,
     * whatever {@code --clusterjobs} says, since the body is read only once.
     */
    @Override
    public PutOutcome put(Upload upload) throws IOException {
        Key key = upload.key();
        List<AnnexTarget> targets = putTargets(key);
        if (targets.isEmpty()) {
            return new PutOutcome.NotStored("cluster has no usable node", List.of());
        }
        if (upload.dataPresent()) {
            return fold(key, fanOut.run(targets, n -> n.put(upload)));
        }
        BodyBroadcast broadcast = new BodyBroadcast(targets.size());
        List<FanOut.Result<AnnexTarget, PutOutcome>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("annexgate-cluster-put-", 0).factory())) {
            List<Future<PutOutcome>> puts = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                AnnexTarget node = targets.get(i);
                int receiver = i;
                puts.add(threads.submit(() -> {
                    try {
                        return node.put(new Upload(key, upload.client(), upload.offset(), upload.dataLength(), false,
                                broadcast.receiver(receiver)));
                    } finally {
                        broadcast.abandon(receiver);
                    }
                }));
            }
            try {
                broadcast.relay(upload.body(), upload.dataLength());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted relaying a put to cluster " + cluster.name());
            }
            for (int i = 0; i < puts.size(); i++) {
                results.add(FanOut.outcome(targets.get(i), puts.get(i)));
            }
        }
        return fold(key, results);
    }

    private PutOutcome fold(Key key, List<FanOut.Result<AnnexTarget, PutOutcome>> results) throws IOException {
        List<AnnexUuid> stored = new ArrayList<>();
        for (FanOut.Result<AnnexTarget, PutOutcome> r : results) {
            if (r.ok() && r.value() instanceof PutOutcome.Stored) {
                stored.add(r.node().uuid());
            } else {
                log.info("cluster {}: put of {} to {} failed: {}", cluster.name(), key.serialize(), r.node().uuid(),
                        r.ok() ? r.value() : r.failure().toString());
            }
        }
        if (stored.isEmpty()) {
            return new PutOutcome.NotStored("no node stored it", List.of());
        }
        cluster.gateway().locationLog().record(key, cluster.uuid(), true);
        return new PutOutcome.Stored(stored);
    }

    /**
     * Every node removes, or the answer is not removed. With a deadline {@code before} on our own
     * clock, each node gets its own clock's time plus what is left of the window, read afresh.
     */
    @Override
    public RemoveOutcome remove(Key key, OptionalLong before) throws IOException {
        List<AnnexTarget> targets = nodes();
        if (before.isPresent() && clock.nowSeconds() >= before.getAsLong()) {
            return new RemoveOutcome.NotRemoved("too late", List.of());
        }
        List<FanOut.Result<AnnexTarget, RemoveOutcome>> results = fanOut.run(targets, n -> {
            if (before.isEmpty()) {
                return n.remove(key, OptionalLong.empty());
            }
            long nodeNow = n.timestamp();
            long window = before.getAsLong() - clock.nowSeconds();
            return n.remove(key, OptionalLong.of(nodeNow + window));
        });
        List<AnnexUuid> removed = new ArrayList<>();
        for (FanOut.Result<AnnexTarget, RemoveOutcome> r : results) {
            if (r.ok() && r.value() instanceof RemoveOutcome.Removed) {
                removed.add(r.node().uuid());
            }
        }
        if (removed.size() < targets.size()) {
            return new RemoveOutcome.NotRemoved("not every node removed it", removed);
        }
        cluster.gateway().locationLog().record(key, cluster.uuid(), false);
        return new RemoveOutcome.Removed(removed);
    }

    /** The gateway's own clock: remove-before is translated onto each node's clock when it comes. */
    @Override
    public long timestamp() {
        return clock.nowSeconds();
    }

    /** Clusters do not lock (as git-annex's): a client wanting locked copies locks on the nodes. */
    @Override
    public LockOutcome lockContent(Key key) {
        return new LockOutcome.NotLocked("clusters do not lock content");
    }

    @Override
    public Optional<KeptLock> keepLocked(LockId lockId) {
        return Optional.empty();
    }
}
