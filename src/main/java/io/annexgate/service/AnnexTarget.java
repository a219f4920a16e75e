package io.annexgate.service;

import io.annexgate.locking.LockRegistry.KeptLock;
import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.ApiVersion;
import io.annexgate.protocol.Key;
import io.annexgate.protocol.LockId;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A repository the server answers for, addressed by its uuid: the repository it serves itself,
 * and later proxied remotes and clusters. One method per protocol action.
 */
public interface AnnexTarget {

    AnnexUuid uuid();

    Optional<ContentSource> get(Key key) throws IOException;

    boolean checkPresent(Key key) throws IOException;

    PutOutcome put(Upload upload) throws IOException;

    PutOffsetOutcome putOffset(Key key) throws IOException;

    /** Removes content; with {@code before}, only while the monotonic clock is still before it. */
    RemoveOutcome remove(Key key, OptionalLong before) throws IOException;

    /** The monotonic clock, in seconds. */
    long timestamp();

    LockOutcome lockContent(Key key) throws IOException;

    /** Starts keeping a lock alive; empty for an unknown or expired lock id. */
    Optional<KeptLock> keepLocked(LockId lockId);

    /**
     * This target as one request sees it: a proxied remote is spoken to at the client's protocol
     * version, bypassing the given gateways; the local repository ignores both.
     */
    default AnnexTarget forRequest(ApiVersion version, Set<AnnexUuid> bypass) {
        return this;
    }

    /** The target that does the work, under any wrapper that only adds limits (slots) around it. */
    default AnnexTarget underlying() {
        return this;
    }
}
