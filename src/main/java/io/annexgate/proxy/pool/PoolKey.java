package io.annexgate.proxy.pool;

import io.annexgate.protocol.AnnexUuid;
import java.util.Objects;
import java.util.Set;

/**
 * What makes two proxy connections interchangeable: the remote, the protocol version asked for
 * (the client's), and the cluster gateways to bypass.
 */
public record PoolKey(AnnexUuid remote, int version, Set<AnnexUuid> bypass) {

    public PoolKey {
        Objects.requireNonNull(remote, "remote");
        bypass = Set.copyOf(bypass);
    }
}
