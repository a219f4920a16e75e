package io.annexgate.config;

import io.annexgate.locking.MonotonicClock;
import io.annexgate.locking.SystemMonotonicClock;
import io.annexgate.metrics.AnnexgateMetrics;
import io.annexgate.security.AccessPolicy;
import io.annexgate.security.AuthSettings;
import io.annexgate.security.Users;
import io.annexgate.proxy.ProxiedRemotes;
import io.annexgate.proxy.http.P2pHttpClient;
import io.annexgate.proxy.TrustedCertificates;
import io.annexgate.proxy.p2p.SshCommand;
import io.annexgate.proxy.special.S3PutMemory;
import io.annexgate.proxy.special.S3Remotes;
import io.annexgate.proxy.pool.ProxyConnectionPool;
import io.annexgate.proxy.pool.ProxyPoolMetrics;
import io.annexgate.cluster.Clusters;
import io.annexgate.service.CompositeTargetRegistry;
import io.annexgate.service.LocalRepositories;
import io.annexgate.service.TargetRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/** Wires the capabilities together from {@link AnnexgateProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AnnexgateProperties.class)
public class AnnexgateConfiguration {

    @Bean
    TlsReload tlsReload(SslBundles sslBundles) {
        return new TlsReload(sslBundles);
    }

    /** With --chainfile: keeps the combined certificate the SSL bundle watches in step with its sources. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(ChainedCertificate.PROPERTY)
    ChainedCertificate chainedCertificate(ConfigurableEnvironment environment) {
        ChainedCertificate chained = new ChainedCertificate(
                Path.of(environment.getRequiredProperty("annexgate.tls.certfile")).toAbsolutePath(),
                Binder.get(environment).bind("annexgate.tls.chainfiles", Bindable.listOf(String.class)).orElse(List.of())
                        .stream().map(c -> Path.of(c).toAbsolutePath()).toList(),
                Path.of(environment.getRequiredProperty(ChainedCertificate.PROPERTY)));
        chained.start(5);
        return chained;
    }

    /** The JVM's clock, unless the context has another (a test's, one shared by replicas). */
    @Bean
    @ConditionalOnMissingBean
    MonotonicClock monotonicClock() {
        return new SystemMonotonicClock();
    }

    /** The system's clock, unless the context has another (a test's). */
    @Bean
    @ConditionalOnMissingBean
    Clock wallClock() {
        return Clock.systemUTC();
    }

    @Bean
    AnnexgateMetrics annexgateMetrics(MeterRegistry registry, AnnexgateProperties properties) {
        return new AnnexgateMetrics(registry, properties.metrics().perRepository());
    }

    @Bean
    AccessPolicy accessPolicy(AnnexgateProperties properties, ConfigurableEnvironment environment) {
        AnnexgateProperties.Auth a = properties.auth();
        AuthSettings settings = new AuthSettings(a.wideopen(), a.unauthReadonly(), a.unauthAppendonly(),
                a.unauthNolocking(), a.authenv(), a.authenvHttp());
        Users users = Users.fromEnvironment(userVariables(environment));
        if ((a.authenv() || a.authenvHttp()) && users.size() == 0) {
            throw new StartupFailure("--authenv needs at least one user: set GIT_ANNEX_P2PHTTP_PASSWORD_<user>"
                    + " (and GIT_ANNEX_P2PHTTP_PERMISSIONS_<user>) in the environment");
        }
        return new AccessPolicy(settings, users);
    }

    /**
     * {@code GIT_ANNEX_P2PHTTP_*} variables from every property source: the process environment as
     * for git annex p2phttp, and also properties of that name (a mounted Secret, a test).
     */
    private static Map<String, String> userVariables(ConfigurableEnvironment environment) {
        Map<String, String> found = new HashMap<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> e) {
                for (String name : e.getPropertyNames()) {
                    if (name.startsWith("GIT_ANNEX_P2PHTTP_")) {
                        found.putIfAbsent(name, String.valueOf(e.getProperty(name)));
                    }
                }
            }
        }
        return found;
    }

    /**
     * The served repositories; below {@code --directory} found by a walk of the file system, or by
     * the {@link LocalRepositories.Scan} bean a test gives (one that misses a repository, say).
     */
    @Bean(destroyMethod = "close")
    LocalRepositories localRepositories(AnnexgateProperties properties, MonotonicClock monotonicClock, Clock wallClock,
            AnnexgateMetrics metrics, ObjectProvider<LocalRepositories.Scan> scan) {
        return LocalRepositories.open(properties.repositoryOrWorkingDirectory(), properties.directories(),
                scan.getIfAvailable(() -> LocalRepositories.Scan.WALK), properties.lockedfiles(), monotonicClock,
                wallClock, metrics, properties.closeIdleAfter(), properties.jobsPerRepository(), properties.cpus() == null ? 0 : properties.cpus());
    }

    /**
     * The remotes the served repositories proxy for, over a pool of {@code --proxyconnections} idle
     * connections, at most {@code annexgate.proxy.max-connections} open to each remote; ssh as
     * {@code annexgate.proxy.ssh-command} says, or as git's variables say when
     * {@code GIT_ANNEX_USE_GIT_SSH=1} (read from the environment, or given as properties).
     */
    @Bean(destroyMethod = "close")
    ProxiedRemotes proxiedRemotes(LocalRepositories localRepositories, AnnexgateProperties properties,
            MonotonicClock monotonicClock, MeterRegistry registry, ConfigurableEnvironment environment) {
        AnnexgateProperties.Proxy proxy = properties.proxy();
        TrustedCertificates trusted = TrustedCertificates.with(Optional.ofNullable(proxy.caFile()));
        return new ProxiedRemotes(localRepositories, properties.proxyconnections(),
                new ProxyConnectionPool.Limits(proxy.maxConnections(), proxy.maxConnectionWait()),
                properties.lockedfiles(), proxy.idleTimeout(), monotonicClock, new ProxyPoolMetrics(registry),
                new S3Remotes(System.getenv(), trusted, new S3PutMemory(proxy.s3PutMemory().toBytes(), registry)),
                SshCommand.of(proxy.sshCommand(), environment::getProperty), new P2pHttpClient(trusted.sslContext()));
    }

    /** What the API answers for: the served repositories, then the remotes they proxy for. */
    @Bean
    @Primary
    TargetRegistry targetRegistry(LocalRepositories localRepositories, ProxiedRemotes proxiedRemotes,
            MonotonicClock monotonicClock, AnnexgateProperties properties) {
        Clusters clusters = new Clusters(localRepositories, proxiedRemotes.nodes(), monotonicClock,
                properties.clusterjobs());
        return new CompositeTargetRegistry(List.of(localRepositories, clusters, proxiedRemotes));
    }
}
