package io.annexgate.cluster;

import io.annexgate.locking.MonotonicClock;
import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.ApiVersion;
import io.annexgate.proxy.ServedSettings;
import io.annexgate.service.AnnexTarget;
import io.annexgate.service.LocalRepositories;
import io.annexgate.service.ServedState;
import io.annexgate.service.SlottedTarget;
import io.annexgate.service.TargetRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;

/**
 * The clusters the served repositories are gateways for, from their git config (read again only
 * when it changed, at most once a second). A cluster's nodes are reached as proxied remotes.
 */
public final class Clusters implements TargetRegistry {


    private final TargetRegistry nodes;
    private final MonotonicClock clock;
    private final FanOut fanOut;
    private final ServedSettings<List<Cluster>, Map<AnnexUuid, Cluster>> clusters;

    /**
     * {@code nodes} finds a node's target (the proxied remotes, without slots of their own: a
     * cluster's put or get takes one {@code --jobs} slot of its gateway for all its nodes);
     * {@code clusterJobs} is {@code --clusterjobs}.
     */
    public Clusters(LocalRepositories local, TargetRegistry nodes, MonotonicClock clock, int clusterJobs) {
        this.nodes = nodes;
        this.clock = clock;
        this.fanOut = new FanOut(clusterJobs);
        this.clusters = new ServedSettings<>(local, "clusters", Clusters::gatewayOf, List.of(), Clusters::byUuid);
    }

    @Override
    public Optional<AnnexTarget> find(AnnexUuid uuid) {
        if (!ClusterUuids.isCluster(uuid)) {
            return Optional.empty();
        }
        return Optional.ofNullable(current().get(uuid)).map(c -> new SlottedTarget(
                new ClusterTarget(c, nodes::find, clock, fanOut, ApiVersion.V0, Set.of()), c.gateway().jobs()));
    }

    private Map<AnnexUuid, Cluster> current() {
        return clusters.current();
    }

    private static Map<AnnexUuid, Cluster> byUuid(List<List<Cluster>> byRepository) {
        Map<AnnexUuid, Cluster> found = new HashMap<>();
        byRepository.forEach(gateway -> gateway.forEach(c -> found.put(c.uuid(), c)));
        return Map.copyOf(found);
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
