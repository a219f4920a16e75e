package io.annexgate.proxy.pool;

import java.io.IOException;

/** Opens a new connection for a pool key (a git-annex-shell process, say). */
@FunctionalInterface
public interface ConnectionOpener<C> {

    C open(PoolKey key) throws IOException;
}
