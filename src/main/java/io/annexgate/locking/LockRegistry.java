package io.annexgate.locking;

import io.annexgate.protocol.LockId;
import java.time.Duration;
import java.util.Optional;

/**
 * Content locks handed out by lockcontent, by lock id, until keeplocked lets go of them or their
 * retention runs out.
 */
public interface LockRegistry {

    /** Ten minutes, git-annex's retention for a lock taken over the P2P protocol. */
    Duration RETENTION = Duration.ofMinutes(10);

    /**
     * Registers a held lock; it is released after {@link #RETENTION} unless kept.
     *
     * @return the new lock's id, or empty when the locked-files limit is reached
     */
    Optional<LockId> register(Releasable lock);

    /**
     * Marks a lock as kept by a keeplocked request (no expiry while kept).
     *
     * @return a handle to end the keeping; empty when the id is unknown or already expired
     */
    Optional<KeptLock> keep(LockId id);

    int held();

    int limit();

    /** Releases every lock without dropping retention times (shutdown). */
    void shutdown();

    /** What a lock does when it ends. */
    @FunctionalInterface
    interface Releasable {
        /** @param dropRetention whether the on-disk retention time may go too (explicit unlock, expiry) */
        void release(boolean dropRetention);
    }

    /** A lock being kept by a keeplocked request. */
    interface KeptLock {
        /** The client asked to unlock: release now. */
        void unlock();

        /** The keeplocked request ended without an unlock: keep the lock until its retention runs out. */
        void abandon();
    }
}
