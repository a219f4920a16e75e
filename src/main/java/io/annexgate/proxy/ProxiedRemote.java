package io.annexgate.proxy;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.service.ServedState;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A uuid a served repository proxies for: its remote {@code name}, and the local repository
 * ({@code path}) to reach it through git-annex-shell, or empty with the reason it cannot be proxied.
 */
record ProxiedRemote(AnnexUuid uuid, String name, ServedState via, Optional<Path> path, String unavailable) {

    static ProxiedRemote reachable(AnnexUuid uuid, String name, ServedState via, Path path) {
        return new ProxiedRemote(uuid, name, via, Optional.of(path), "");
    }

    static ProxiedRemote unreachable(AnnexUuid uuid, String name, ServedState via, String reason) {
        return new ProxiedRemote(uuid, name, via, Optional.empty(), reason);
    }
}
