package io.annexgate.proxy;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.proxy.p2p.ShellTransport;
import io.annexgate.proxy.special.DirectoryExportRemote;
import io.annexgate.proxy.special.DirectoryRemote;
import io.annexgate.proxy.special.ExportedTrees;
import io.annexgate.proxy.special.S3Remotes;
import io.annexgate.proxy.special.SpecialRemote;
import io.annexgate.repository.BranchFiles;
import io.annexgate.service.ServedState;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Config;

/** Decides how a proxied remote is reached, from its git config and (special remotes) its remote.log entry. */
final class RemoteRoutes {

    private static final Pattern URL_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");

    private RemoteRoutes() {
    }

    /** A git remote: by its url. */
    static RemoteRoute ofGitRemote(ServedState s, String name, AnnexUuid uuid, String url, Config config) {
        Optional<Path> path = localPath(s.repository().dir(), url);
        if (path.isPresent()) {
            return new RemoteRoute.OverP2P(ShellTransport.of(path.get(), uuid));
        }
        return new RemoteRoute.Unreachable("cannot proxy for remote " + name
                + ": only remotes at a local path are proxied (url " + url + ")");
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
    static RemoteRoute ofSpecialRemote(ServedState s, String name, AnnexUuid uuid, Map<String, String> remoteLog,
            Config config, BranchFiles branch, ExportedTrees trees, S3Remotes s3) {
        if ("S3".equals(remoteLog.get("type"))
                && s3.choose(uuid, name, remoteLog, s.repository().annexDir())
                        instanceof S3Remotes.Choice.Native(var remote)) {
            return new RemoteRoute.ToSpecialRemote(remote);
        }
        Optional<SpecialRemote> stored = nativeDirectory(s, name, uuid, remoteLog, config, branch, trees);
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
