package io.annexgate.cluster;

import io.annexgate.locking.MonotonicClock;
import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.ApiVersion;
import io.annexgate.proxy.ProxySettingsStamp;
import io.annexgate.service.AnnexTarget;
import io.annexgate.service.LocalRepositories;
import io.annexgate.service.ServedState;
import io.annexgate.service.TargetRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clusters the served repositories are gateways for, from their git config (read again only
 * when it changed, at most once a second). A cluster's nodes are reached as proxied remotes.
 */
public final class Clusters implements TargetRegistry {

    private static final Logger log = LoggerFactory.getLogger(Clusters.class);
    private static final long REREAD_NANOS = Duration.ofSeconds(1).toNanos();

    private final LocalRepositories local;
    private final TargetRegistry nodes;
    private final MonotonicClock clock;
    private final FanOut fanOut;
    private Map<AnnexUuid, Cluster> clusters = Map.of();
    private Map<Path, Read> readByRepository = Map.of();
    private long readAt;
    private boolean read;

    /** {@code nodes} finds a node's target (the proxied remotes); {@code clusterJobs} is {@code --clusterjobs}. */
    public Clusters(LocalRepositories local, TargetRegistry nodes, MonotonicClock clock, int clusterJobs) {
        this.local = local;
        this.nodes = nodes;
        this.clock = clock;
        this.fanOut = new FanOut(clusterJobs);
    }

    private record Read(ProxySettingsStamp stamp, List<Cluster> clusters) { }

    @Override
    public Optional<AnnexTarget> find(AnnexUuid uuid) {
        if (!ClusterUuids.isCluster(uuid)) {
            return Optional.empty();
        }
        return Optional.ofNullable(current().get(uuid))
                .map(c -> new ClusterTarget(c, nodes::find, clock, fanOut, ApiVersion.V0, Set.of()));
    }

    private synchronized Map<AnnexUuid, Cluster> current() {
        long now = System.nanoTime();
        if (!read || now - readAt > REREAD_NANOS) {
            Map<AnnexUuid, Cluster> found = new HashMap<>();
            Map<Path, Read> stillServed = new HashMap<>();
            for (ServedState s : local.servedStates()) {
                Path gitDir = s.repository().gitDir();
                ProxySettingsStamp stamp = ProxySettingsStamp.of(s.repository());
                Read entry = readByRepository.get(gitDir);
                if (entry == null || !entry.stamp().equals(stamp)) {
                    try {
                        entry = new Read(stamp, gatewayOf(s));
                    } catch (IOException | RuntimeException e) {
                        log.warn("cannot read the clusters of {}: {}", gitDir, e.toString());
                        entry = new Read(stamp, List.of());
                    }
                }
                stillServed.put(gitDir, entry);
                entry.clusters().forEach(c -> found.put(c.uuid(), c));
            }
            readByRepository = stillServed;
            clusters = Map.copyOf(found);
            readAt = now;
            read = true;
        }
        return clusters;
    }

    /** The clusters one repository is a gateway for: {@code annex.cluster.NAME} and its nodes' remotes. */
    static List<Cluster> gatewayOf(ServedState s) throws IOException {
        FileBasedConfig config = new FileBasedConfig(s.repository().gitDir().resolve("config").toFile(), FS.DETECTED);
        try {
            config.load();
        } catch (ConfigInvalidException e) {
            throw new IOException("unreadable git config: " + e.getMessage(), e);
        }
        List<Cluster> found = new ArrayList<>();
        for (String name : config.getNames("annex", "cluster")) {
            String value = config.getString("annex", "cluster", name);
            if (value == null || value.isBlank()) {
                continue;
            }
            AnnexUuid uuid = new AnnexUuid(value.strip());
            List<AnnexUuid> members = new ArrayList<>();
            for (String remote : config.getSubsections("remote")) {
                String nodeOf = config.getString("remote", remote, "annex-cluster-node");
                String nodeUuid = config.getString("remote", remote, "annex-uuid");
                if (nodeOf != null && nodeUuid != null && !nodeUuid.isBlank()
                        && List.of(nodeOf.strip().split("\\s+")).contains(name)) {
                    members.add(new AnnexUuid(nodeUuid.strip()));
                }
            }
            found.add(new Cluster(uuid, name, s, List.copyOf(members)));
        }
        return found;
    }
}
