package io.annexgate.proxy;

import io.annexgate.locking.CaffeineLockRegistry;
import io.annexgate.locking.LockRegistry;
import io.annexgate.locking.MonotonicClock;
import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.ApiVersion;
import io.annexgate.proxy.http.HttpRemoteTarget;
import io.annexgate.proxy.http.P2pHttpClient;
import io.annexgate.proxy.http.P2pHttpRemote;
import io.annexgate.proxy.http.P2pHttpUrl;
import io.annexgate.proxy.http.RemoteCredentials;
import io.annexgate.proxy.p2p.P2PConnection;
import io.annexgate.proxy.p2p.RemoteTransport;
import io.annexgate.proxy.p2p.SshCommand;
import io.annexgate.proxy.special.ExportedTrees;
import io.annexgate.proxy.special.S3Remotes;
import io.annexgate.proxy.special.SpecialRemote;
import io.annexgate.proxy.special.SpecialRemoteTarget;
import io.annexgate.proxy.pool.PoolKey;
import io.annexgate.proxy.pool.ProxyConnectionPool;
import io.annexgate.proxy.pool.ProxyPoolMetrics;
import io.annexgate.service.AnnexTarget;
import io.annexgate.service.LocalRepositories;
import io.annexgate.service.ProxyUnavailable;
import io.annexgate.service.ServedState;
import io.annexgate.service.SlottedTarget;
import io.annexgate.service.TargetRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remotes the served repositories proxy for: each remote with {@code annex-proxy=true} and an
 * {@code annex-uuid} (git remotes and special remotes; {@link RemoteRoutes} says how each is
 * reached), plus every uuid {@code proxy.log} lists for the repository (those without such a
 * remote answer 502). Read again at most once a second, when asked.
 * P2P connections come from one pool shared by all remotes; remotes over HTTP share one HTTP client.
 */
public final class ProxiedRemotes implements TargetRegistry, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxiedRemotes.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final LocalRepositories local;
    private final MonotonicClock monotonicClock;
    private final int lockedFiles;
    private final ProxyConnectionPool<P2PConnection> pool;
    private final ProxyPoolMetrics poolMetrics;
    private final RemoteRoutes routes;
    private final P2pHttpClient http;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("annexgate-proxy-watchdog").daemon().factory());
    private final Map<AnnexUuid, LockRegistry> lockRegistries = new ConcurrentHashMap<>();
    private final S3Remotes s3Remotes;
    private final ServedSettings<Map<AnnexUuid, ProxiedRemote>, Map<AnnexUuid, ProxiedRemote>> remotes;

    /**
     * @param connectionLimits how many P2P connections may be open to one remote, and how long a
     *     request waits for one beyond that
     * @param s3Remotes the S3 special remotes stored to here, and where their credentials are looked for
     * @param ssh how ssh is run for remotes reached over ssh
     * @param http the client annex+http remotes are reached with (closed with this)
     */
    public ProxiedRemotes(LocalRepositories local, int proxyConnections, ProxyConnectionPool.Limits connectionLimits,
            int lockedFiles, Duration idleTimeout, MonotonicClock monotonicClock, ProxyPoolMetrics poolMetrics,
            S3Remotes s3Remotes, SshCommand ssh, P2pHttpClient http) {
        this.http = http;
        this.s3Remotes = s3Remotes;
        this.local = local;
        this.routes = new RemoteRoutes(ssh, s3Remotes, new ExportedTrees(ExportedTrees.DEFAULT_MAX_BYTES));
        this.remotes = new ServedSettings<>(local, "proxied remotes", s -> proxiedBy(s, routes), Map.of(),
                this::withoutServed);
        this.monotonicClock = monotonicClock;
        this.lockedFiles = lockedFiles;
        this.pool = new ProxyConnectionPool<>(proxyConnections, connectionLimits, this::open, poolMetrics);
        this.poolMetrics = poolMetrics;
        long checkEvery = Math.max(1, idleTimeout.toMillis() / 4);
        scheduler.scheduleWithFixedDelay(() -> evictIdle(idleTimeout), checkEvery, checkEvery,
                TimeUnit.MILLISECONDS);
    }

    private void evictIdle(Duration idleTimeout) {
        try {
            int evicted = pool.evictIdleLongerThan(idleTimeout);
            if (evicted > 0) {
                log.debug("closed {} proxy connections idle for over {}", evicted, idleTimeout);
            }
        } catch (RuntimeException e) {
            log.warn("closing idle proxy connections failed", e);
        }
    }

    /**
     * A proxied remote as a client addresses it: its puts and gets take a {@code --jobs} slot of the
     * repository that proxies for it ({@link SlottedTarget}).
     */
    @Override
    public Optional<AnnexTarget> find(AnnexUuid uuid) {
        return Optional.ofNullable(current().get(uuid))
                .map(remote -> new SlottedTarget(target(remote), remote.via().jobs()));
    }

    /** The remotes as a cluster reaches them for a request that already holds the cluster's slot. */
    public TargetRegistry nodes() {
        return uuid -> Optional.ofNullable(current().get(uuid)).map(this::target);
    }

    private AnnexTarget target(ProxiedRemote remote) {
        return switch (remote.route()) {
            case RemoteRoute.ToSpecialRemote(SpecialRemote special) ->
                    new SpecialRemoteTarget(remote.uuid(), special, remote.via().locationLog(), monotonicClock);
            case RemoteRoute.OverP2P p2p -> new ProxiedRemoteTarget(remote, this, ApiVersion.V0.number(), Set.of());
            case RemoteRoute.OverHttp(P2pHttpUrl url, RemoteCredentials credentials) -> new HttpRemoteTarget(
                    new P2pHttpRemote(remote.uuid(), remote.name(), url, credentials, remote.via().repository().uuid(), http),
                    remote.via().locationLog(), lockRegistry(remote.uuid()), ApiVersion.V0, Set.of());
            case RemoteRoute.Unreachable u -> new ProxiedRemoteTarget(remote, this, ApiVersion.V0.number(), Set.of());
        };
    }

    ProxyConnectionPool<P2PConnection> pool() {
        return pool;
    }

    MonotonicClock monotonicClock() {
        return monotonicClock;
    }

    /** The locks held through connections to one remote, bounded by {@code --lockedfiles} like the local ones. */
    LockRegistry lockRegistry(AnnexUuid remote) {
        return lockRegistries.computeIfAbsent(remote, r -> {
            LockRegistry registry = new CaffeineLockRegistry(monotonicClock, lockedFiles);
            poolMetrics.locksHeld(r, registry::held);
            return registry;
        });
    }

    private Map<AnnexUuid, ProxiedRemote> current() {
        return remotes.current();
    }

    /** Every served repository's proxied remotes, without the uuids served here themselves. */
    private Map<AnnexUuid, ProxiedRemote> withoutServed(List<Map<AnnexUuid, ProxiedRemote>> byRepository) {
        Map<AnnexUuid, ProxiedRemote> found = new HashMap<>();
        byRepository.forEach(found::putAll);
        found.keySet().removeIf(u -> local.find(u).isPresent());
        return Map.copyOf(found);
    }

    /** The remotes one served repository proxies for: from its git config and its proxy.log. */
    static Map<AnnexUuid, ProxiedRemote> proxiedBy(ServedState s, RemoteRoutes routes) throws IOException {
        Map<AnnexUuid, ProxiedRemote> found = new HashMap<>();
        AnnexUuid self = s.repository().uuid();
        branchFile(s, "proxy.log").ifPresent(content -> ProxyLog.remotesOf(self, content).forEach((uuid, name) ->
                found.put(uuid, ProxiedRemote.unreachable(uuid, name, s, "not configured to proxy for repository " + name))));
        FileBasedConfig config = new FileBasedConfig(s.repository().gitDir().resolve("config").toFile(), FS.DETECTED);
        try {
            config.load();
        } catch (ConfigInvalidException e) {
            throw new IOException("unreadable git config: " + e.getMessage(), e);
        }
        Map<AnnexUuid, Map<String, String>> specialRemotes = null;
        for (String name : config.getSubsections("remote")) {
            String uuid = config.getString("remote", name, "annex-uuid");
            boolean clusterNode = config.getString("remote", name, "annex-cluster-node") != null;
            if (uuid == null || uuid.isBlank()
                    || !(config.getBoolean("remote", name, "annex-proxy", false) || clusterNode)) {
                continue;
            }
            AnnexUuid remote = new AnnexUuid(uuid.strip());
            if (remote.equals(self)) {
                continue;
            }
            String url = config.getString("remote", name, "url");
            RemoteRoute route;
            if (url != null && !url.isBlank()) {
                route = routes.ofGitRemote(s.repository().dir(), name, remote, url, config);
            } else {
                if (specialRemotes == null) {
                    specialRemotes = branchFile(s, "remote.log").map(RemoteLog::parse).orElse(Map.of());
                }
                route = routes.ofSpecialRemote(s, name, remote, specialRemotes.getOrDefault(remote, Map.of()),
                        config, path -> branchFile(s, path));
            }
            found.put(remote, new ProxiedRemote(remote, name, s, route));
        }
        return found;
    }

    /** A git-annex branch file as git-annex sees it: the journal's copy first, else the branch's. */
    static Optional<String> branchFile(ServedState s, String path) throws IOException {
        Path journal = s.repository().journalDir().resolve(path);
        return Files.isRegularFile(journal) ? Optional.of(Files.readString(journal)) : s.branch().read(path);
    }

    private P2PConnection open(PoolKey key) throws IOException {
        ProxiedRemote remote = current().get(key.remote());
        if (remote == null) {
            throw new ProxyUnavailable("unknown uuid");
        }
        if (!(remote.route() instanceof RemoteRoute.OverP2P(RemoteTransport transport))) {
            throw new ProxyUnavailable(remote.route() instanceof RemoteRoute.Unreachable(String reason) ? reason
                    : "remote " + remote.name() + " is not reached over P2P");
        }
        AnnexUuid self = remote.via().repository().uuid();
        return P2PConnection.open(transport.open(self), self, remote.uuid(), key.version(), key.bypass(), TIMEOUT,
                scheduler);
    }

    @Override
    public void close() {
        lockRegistries.values().forEach(LockRegistry::shutdown);
        pool.close();
        http.close();
        scheduler.shutdownNow();
        s3Remotes.close();
    }
}
