package io.annexgate.repository;

import io.annexgate.protocol.Key;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * git-annex's content locking: a shared lock says "someone relies on this copy", an exclusive one
 * "this copy is about to go". Real OS locks on git-annex's own lock files, so git-annex processes
 * working on the same repository see ours and we see theirs.
 */
public interface ContentLocks {

    /**
     * Takes a shared lock on a present object and records that it must be retained until
     * {@code retainUntil}, even if this process dies.
     *
     * @return empty when the content is being removed by someone
     */
    Optional<SharedContentLock> lockShared(Key key, Instant retainUntil) throws IOException;

    /**
     * Takes the exclusive lock that removal needs.
     *
     * @return empty when anyone holds a shared lock, or a retention time is still in the future
     */
    Optional<RemovalLock> lockForRemoval(Key key) throws IOException;

    /** Drops every lock this process holds without touching retention times (shutdown). */
    void releaseAll();

    /** A held shared lock. */
    interface SharedContentLock {
        /**
         * Releases the lock. With {@code dropRetention}, and when no one else holds the content
         * locked, the retention time this lock wrote is removed as well.
         */
        void release(boolean dropRetention);
    }

    /** A held exclusive lock; closing it lets go. */
    interface RemovalLock extends AutoCloseable {
        @Override
        void close();
    }
}
