package io.annexgate.proxy;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.proxy.http.GitCredentialHelper;
import io.annexgate.proxy.http.P2pHttpUrl;
import io.annexgate.proxy.http.RemoteCredentials;
import io.annexgate.proxy.p2p.ShellTransport;
import io.annexgate.proxy.p2p.SshCommand;
import io.annexgate.proxy.p2p.SshLocation;
import io.annexgate.proxy.p2p.SshTransport;
import io.annexgate.proxy.special.DirectoryExportRemote;
import io.annexgate.proxy.special.DirectoryRemote;
import io.annexgate.proxy.special.ExportedTrees;
import io.annexgate.proxy.special.S3Remotes;
import io.annexgate.proxy.special.SpecialRemote;
import io.annexgate.repository.BranchFiles;
import io.annexgate.service.ServedState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Config;

/** Decides how a proxied remote is reached, from its git config and (special remotes) its remote.log entry. */
final class RemoteRoutes {

    private static final Pattern URL_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");
    /** A url's user info, which may hold a password: kept out of answers. */
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@");

    private final SshCommand ssh;
    private final S3Remotes s3;
    private final ExportedTrees exportedTrees;
    private final Map<CredentialScope, RemoteCredentials> httpCredentials = new ConcurrentHashMap<>();

    /**
     * @param ssh how ssh is run for remotes reached over ssh
     * @param s3 the S3 special remotes stored to here, and where their credentials are looked for
     * @param exportedTrees the trees exported to the directory remotes stored natively
     */
    RemoteRoutes(SshCommand ssh, S3Remotes s3, ExportedTrees exportedTrees) {
        this.ssh = ssh;
        this.s3 = s3;
        this.exportedTrees = exportedTrees;
    }

    /**
     * A git remote of the repository in {@code repositoryDir}, by the url git-annex would use for it:
     * {@code remote.NAME.annexUrl}, else the url as {@code url.BASE.annexInsteadOf} rewrites it, else
     * {@code remote.NAME.url} (each after {@code url.BASE.insteadOf}). An annex+http(s) url is reached
     * over HTTP, a local path through git-annex-shell, an ssh url or scp-style {@code host:path}
     * through ssh and git-annex-shell there ({@code annex-ssh-options}, {@code annex-shell}).
     */
    RemoteRoute ofGitRemote(Path repositoryDir, String name, AnnexUuid uuid, String url, Config config) {
        String location = annexLocation(config, name, url);
        if (P2pHttpUrl.isP2pHttpUrl(location)) {
            String gitUrl = insteadOf(config, url.strip(), "insteadOf").orElse(url.strip());
            return P2pHttpUrl.parse(location)
                    .<RemoteRoute>map(u -> new RemoteRoute.OverHttp(u, credentials(repositoryDir, u, gitUrl)))
                    .orElseGet(() -> unreachable(name, "cannot parse its annex+http url"));
        }
        Optional<Path> path = localPath(repositoryDir, location);
        if (path.isPresent()) {
            return new RemoteRoute.OverP2P(ShellTransport.of(path.get(), uuid));
        }
        Optional<SshLocation> sshLocation;
        try {
            sshLocation = SshLocation.parse(location);
        } catch (IllegalArgumentException e) {
            return unreachable(name, e.getMessage());
        }
        if (sshLocation.isPresent()) {
            return new RemoteRoute.OverP2P(new SshTransport(sshLocation.get(), uuid, ssh,
                    words(annexSetting(config, name, "ssh-options")),
                    annexSetting(config, name, "shell").filter(v -> !v.isBlank()).orElse("git-annex-shell"),
                    repositoryDir));
        }
        return unreachable(name, "only remotes at a local path, over ssh or at an annex+http url are proxied (url "
                + USER_INFO.matcher(location).replaceFirst("$1") + ")");
    }

    /**
     * The credentials of an annex+http remote of one repository, the same object for as long as its
     * url and credential url stay the same, so what git's helpers gave is asked for once.
     */
    private RemoteCredentials credentials(Path repositoryDir, P2pHttpUrl url, String gitUrl) {
        String credentialUrl = RemoteCredentials.credentialUrl(url, gitUrl);
        return httpCredentials.computeIfAbsent(new CredentialScope(repositoryDir, url.url(), credentialUrl),
                scope -> RemoteCredentials.of(url, credentialUrl, new GitCredentialHelper(repositoryDir)));
    }

    private record CredentialScope(Path repository, String annexUrl, String credentialUrl) { }

    /** The url git-annex uses for a git remote, as {@link #ofGitRemote} describes. */
    static String annexLocation(Config config, String name, String url) {
        String location = insteadOf(config, url.strip(), "insteadOf").orElse(url.strip());
        String annexUrl = config.getString("remote", name, "annexurl");
        if (annexUrl == null || annexUrl.isBlank()) {
            annexUrl = insteadOf(config, location, "annexInsteadOf").orElse(null);
        }
        if (annexUrl == null || annexUrl.isBlank()) {
            return location;
        }
        String u = annexUrl.strip();
        return P2pHttpUrl.isP2pHttpUrl(u) ? u : insteadOf(config, u, "insteadOf").orElse(u);
    }

    private static RemoteRoute unreachable(String name, String why) {
        return new RemoteRoute.Unreachable("cannot proxy for remote " + name + ": " + why);
    }

    /**
     * A special remote ({@code remoteLog} is its remote.log configuration): one Annexgate stores to
     * itself, or else through git-annex-shell in the served repository, which proxies for every
     * special remote type git-annex knows.
     *
     * <p>Stored natively: {@code type=directory} with {@code encryption=none}, no chunking
     * ({@code chunk=}, {@code chunksize=}), no {@code importtree} or {@code versioning}, no option
     * Annexgate does not know, its directory in git config {@code remote.<name>.annex-directory}
     * and not {@code annex-readonly}: plain ({@link DirectoryRemote}), or with
     * {@code exporttree=yes} when also {@code annexobjects=yes} and
     * {@code remote.<name>.annex-tracking-branch} is set, git-annex's requirements for proxying an
     * export ({@link DirectoryExportRemote}). And {@code S3} remotes that are unencrypted and
     * unchunked (see {@link io.annexgate.proxy.special.S3Config}) and have credentials. Every other
     * directory remote (encrypted, chunked, other options), every other S3 remote (versioning,
     * exporttree/importtree, Internet Archive, signature v2 or anonymous, no credentials) and every
     * other type keeps the git-annex-shell route.
     */
    RemoteRoute ofSpecialRemote(ServedState s, String name, AnnexUuid uuid, Map<String, String> remoteLog,
            Config config, BranchFiles branch) {
        if ("S3".equals(remoteLog.get("type"))
                && s3.choose(uuid, name, remoteLog, s.repository().annexDir())
                        instanceof S3Remotes.Choice.Native(var remote)) {
            return new RemoteRoute.ToSpecialRemote(remote);
        }
        Optional<SpecialRemote> stored = nativeDirectory(s, name, uuid, remoteLog, config, branch, exportedTrees);
        if (stored.isPresent()) {
            return new RemoteRoute.ToSpecialRemote(stored.get());
        }
        return new RemoteRoute.OverP2P(ShellTransport.of(s.repository().dir(), uuid));
    }

    /** The remote.log fields of a directory remote Annexgate knows; any other sends it through git-annex-shell. */
    private static final Set<String> DIRECTORY_FIELDS = Set.of("type", "name", "encryption", "autoenable",
            "ignoreinodes", "exporttree", "annexobjects", "importtree", "versioning", "chunk", "chunksize");

    private static Optional<SpecialRemote> nativeDirectory(ServedState s, String name, AnnexUuid uuid,
            Map<String, String> remoteLog, Config config, BranchFiles branch, ExportedTrees trees) {
        if (!"directory".equals(remoteLog.get("type")) || !"none".equals(remoteLog.get("encryption"))
                || remoteLog.containsKey("chunk") || remoteLog.containsKey("chunksize")
                || !no(remoteLog.get("importtree")) || !no(remoteLog.get("versioning"))
                || !DIRECTORY_FIELDS.containsAll(remoteLog.keySet())) {
            return Optional.empty();
        }
        String directory = config.getString("remote", name, "annex-directory");
        if (directory == null || directory.isBlank() || config.getBoolean("remote", name, "annex-readonly", false)) {
            return Optional.empty();
        }
        Path dir = s.repository().dir().resolve(directory.strip()).normalize();
        String exporttree = remoteLog.get("exporttree");
        if (no(exporttree)) {
            return Optional.of(new DirectoryRemote(dir, s.repository().diskReserve()));
        }
        String trackingBranch = config.getString("remote", name, "annex-tracking-branch");
        if ("yes".equals(exporttree) && "yes".equals(remoteLog.get("annexobjects"))
                && trackingBranch != null && !trackingBranch.isBlank()) {
            return Optional.of(new DirectoryExportRemote(dir, uuid, s.repository().gitDir(), branch, trees,
                    s.repository().objectHashLevels()));
        }
        return Optional.empty();
    }

    /** An absent or "no" yes/no field. */
    private static boolean no(String value) {
        return value == null || value.equals("no");
    }

    /** {@code remote.NAME.annex-SETTING}, else {@code annex.SETTING}, as git-annex reads its per-remote settings. */
    static Optional<String> annexSetting(Config config, String name, String setting) {
        String value = config.getString("remote", name, "annex-" + setting);
        return Optional.ofNullable(value != null ? value : config.getString("annex", null, setting));
    }

    private static List<String> words(Optional<String> value) {
        return value.map(String::strip).filter(v -> !v.isEmpty()).map(v -> List.of(v.split("\\s+"))).orElse(List.of());
    }

    /**
     * git's {@code url.BASE.insteadOf} (or git-annex's {@code annexInsteadOf}): the url with the
     * longest matching value replaced by its base; empty when none matches.
     */
    static Optional<String> insteadOf(Config config, String url, String key) {
        String bestBase = null;
        String bestValue = "";
        for (String base : config.getSubsections("url")) {
            for (String value : config.getStringList("url", base, key)) {
                if (url.startsWith(value) && (bestBase == null || value.length() > bestValue.length())) {
                    bestBase = base;
                    bestValue = value;
                }
            }
        }
        return bestBase == null ? Optional.empty() : Optional.of(bestBase + url.substring(bestValue.length()));
    }

    /** A remote url naming a directory on this machine (a path or file://), resolved against the repository. */
    static Optional<Path> localPath(Path repositoryDir, String url) {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        String u = url.strip();
        if (u.startsWith("file://")) {
            u = u.substring("file://".length());
        } else if (URL_SCHEME.matcher(u).find()) {
            return Optional.empty();
        } else {
            int colon = u.indexOf(':');
            int slash = u.indexOf('/');
            if (colon >= 0 && (slash < 0 || colon < slash)) {
                return Optional.empty();
            }
        }
        return Optional.of(repositoryDir.resolve(u).normalize());
    }
}
