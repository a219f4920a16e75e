package io.annexgate.proxy.special;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.proxy.TrustedCertificates;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code S3} special remotes Annexgate stores to itself, one client per remote, kept while its
 * configuration and credentials stay the same (the proxied remotes are re-read every second). A
 * client replaced by a changed configuration is closed at shutdown, not at once: requests may
 * still be using it.
 */
public final class S3Remotes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S3Remotes.class);

    private final Map<String, String> environment;
    private final TrustedCertificates trusted;
    private final S3PutMemory memory;
    private final Map<AnnexUuid, Entry> remotes = new HashMap<>();
    private final Map<AnnexUuid, String> lastReason = new HashMap<>();
    private final List<S3Remote> replaced = new ArrayList<>();

    private record Entry(S3Config config, S3Credentials credentials, S3Remote remote) { }

    /** How one S3 remote is reached: stored to here, or not (why). */
    public sealed interface Choice {
        record Native(S3Remote remote) implements Choice { }

        record NotNative(String reason) implements Choice { }
    }

    /** {@code environment} is where credentials are looked for first, as git-annex does (the process's). */
    public S3Remotes(Map<String, String> environment) {
        this(environment, TrustedCertificates.jdk(), S3PutMemory.unmetered(S3PutMemory.DEFAULT_BUDGET));
    }

    /**
     * As {@link #S3Remotes(Map)}, endpoints over https checked against {@code trusted}, puts held
     * in memory within {@code memory}, one budget for all the remotes.
     */
    public S3Remotes(Map<String, String> environment, TrustedCertificates trusted, S3PutMemory memory) {
        this.environment = Map.copyOf(environment);
        this.trusted = trusted;
        this.memory = memory;
    }

    /**
     * The remote {@code uuid} (its remote.log configuration {@code remoteLog}) as proxied by the
     * repository whose annex directory is {@code annexDir}.
     */
    public synchronized Choice choose(AnnexUuid uuid, String name, Map<String, String> remoteLog, Path annexDir) {
        Choice choice = decide(uuid, remoteLog, annexDir);
        String reason = choice instanceof Choice.NotNative(String r) ? r : null;
        if (!lastReason.containsKey(uuid) || !Objects.equals(lastReason.get(uuid), reason)) {
            if (reason == null) {
                log.info("S3 remote {} ({}): stored to directly, {}", name, uuid.value(),
                        ((Choice.Native) choice).remote().description());
            } else {
                log.info("S3 remote {} ({}): through git-annex in the served repository, because {}", name,
                        uuid.value(), reason);
            }
            lastReason.put(uuid, reason);
        }
        return choice;
    }

    private Choice decide(AnnexUuid uuid, Map<String, String> remoteLog, Path annexDir) {
        S3Config config;
        switch (S3Config.parse(remoteLog)) {
            case S3Config.Parsed.Unsupported(String reason) -> {
                return new Choice.NotNative(reason);
            }
            case S3Config.Parsed.Usable(S3Config c) -> config = c;
        }
        Optional<S3Credentials.Found> found;
        try {
            found = S3Credentials.find(uuid, remoteLog, annexDir, environment);
        } catch (IOException e) {
            return new Choice.NotNative("its credentials cannot be read: " + e.getMessage());
        }
        if (found.isEmpty()) {
            return new Choice.NotNative("no S3 credentials (neither " + S3Credentials.ACCESS_KEY_VARIABLE + " and "
                    + S3Credentials.SECRET_KEY_VARIABLE + " in the environment, nor annex/creds/" + uuid.value()
                    + ", nor embedded in remote.log)");
        }
        S3Credentials credentials = found.get().credentials();
        Entry entry = remotes.get(uuid);
        if (entry != null && entry.config().equals(config) && entry.credentials().equals(credentials)) {
            return new Choice.Native(entry.remote());
        }
        S3Remote remote;
        try {
            remote = new S3Remote(config, credentials, trusted, memory);
        } catch (RuntimeException e) {
            return new Choice.NotNative("no S3 client: " + e.getMessage());
        }
        if (entry != null) {
            replaced.add(entry.remote());
        }
        remotes.put(uuid, new Entry(config, credentials, remote));
        return new Choice.Native(remote);
    }

    @Override
    public synchronized void close() {
        remotes.values().forEach(e -> e.remote().close());
        replaced.forEach(S3Remote::close);
        remotes.clear();
        replaced.clear();
    }
}
