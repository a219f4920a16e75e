package io.annexgate.proxy.p2p;

import io.annexgate.protocol.AnnexUuid;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A repository on this machine, reached by running
 * {@code git-annex-shell p2pstdio <repo> <client uuid> --uuid <remote uuid>}: git-annex-shell
 * refuses to start unless the repository has the remote uuid, then opens with AUTH-SUCCESS.
 */
public final class ShellTransport implements RemoteTransport {

    private final Path repository;
    private final AnnexUuid remoteUuid;
    private final String executable;
    private final Map<String, String> environment;

    public ShellTransport(Path repository, AnnexUuid remoteUuid, String executable, Map<String, String> environment) {
        this.repository = repository.toAbsolutePath();
        this.remoteUuid = remoteUuid;
        this.executable = executable;
        this.environment = Map.copyOf(environment);
    }

    /** git-annex-shell from the PATH, with the server's environment. */
    public static ShellTransport of(Path repository, AnnexUuid remoteUuid) {
        return new ShellTransport(repository, remoteUuid, "git-annex-shell", Map.of());
    }

    @Override
    public AnnexUuid remoteUuid() {
        return remoteUuid;
    }

    List<String> command(AnnexUuid clientUuid) {
        return List.of(executable, "p2pstdio", repository.toString(), clientUuid.value(), "--uuid", remoteUuid.value());
    }

    @Override
    public P2PChannel open(AnnexUuid clientUuid) throws IOException {
        return ProcessChannel.start(command(clientUuid), repository, environment,
                "git-annex-shell p2pstdio " + repository);
    }
}
