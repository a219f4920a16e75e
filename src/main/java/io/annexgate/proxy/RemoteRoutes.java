package io.annexgate.proxy;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.proxy.p2p.ShellTransport;
import io.annexgate.proxy.special.S3Remotes;
import io.annexgate.service.ServedState;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
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
     * special remote type git-annex knows. Stored to here: {@code S3} remotes that are unencrypted
     * and unchunked (see {@link io.annexgate.proxy.special.S3Config}) and have credentials. Every
     * other S3 remote (encrypted, chunked, versioning, exporttree/importtree, Internet Archive,
     * signature v2 or anonymous, no credentials) and every other type goes through git-annex-shell.
     */
    static RemoteRoute ofSpecialRemote(ServedState s, String name, AnnexUuid uuid, Map<String, String> remoteLog,
            Config config, S3Remotes s3) {
        if ("S3".equals(remoteLog.get("type"))
                && s3.choose(uuid, name, remoteLog, s.repository().annexDir())
                        instanceof S3Remotes.Choice.Native(var remote)) {
            return new RemoteRoute.ToSpecialRemote(remote);
        }
        return new RemoteRoute.OverP2P(ShellTransport.of(s.repository().dir(), uuid));
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
