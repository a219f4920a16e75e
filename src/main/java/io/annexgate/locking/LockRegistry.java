package io.annexgate.locking;

import io.annexgate.protocol.LockId;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

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
     * Marks a lock as kept by a keeplocked request (no expiry while kept). A later keep of the same
     * id (a client's retry after its connection dropped) takes the lock over: the earlier keeping
     * {@linkplain KeptLock#ended() ends} and its unlock or abandon no longer touch the lock.
     *
     * @return a handle to end the keeping; empty when the id is unknown or already expired
     */
    Optional<KeptLock> keep(LockId id);

    /**
     * The lock under {@code id} is gone underneath (the remote holding it went away): it leaves the
     * registry at once, released as at expiry, and its keeping ends. Nothing happens for an id no
     * longer registered.
     */
    void lost(LockId id);

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
        /** The client asked to unlock: release now (nothing, once {@link #ended()}). */
        void unlock();

        /**
         * The keeplocked request ended without an unlock: keep the lock until its retention runs out
         * (nothing, once {@link #ended()}).
         */
        void abandon();

        /**
         * Completes when this keeping ends other than by its own unlock or abandon: the lock is no
         * longer held (lost, or released at shutdown), or another keeplocked took it over.
         */
        CompletionStage<Void> ended();
    }
}
