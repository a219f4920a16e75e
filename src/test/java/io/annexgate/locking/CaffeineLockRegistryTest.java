package io.annexgate.locking;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.protocol.LockId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CaffeineLockRegistryTest {

    final FakeMonotonicClock clock = new FakeMonotonicClock();
    final CaffeineLockRegistry registry = new CaffeineLockRegistry(clock, 3, LockRegistry.RETENTION, false);
    final List<String> released = new ArrayList<>();

    private LockId lock(String name) {
        return registry.register(drop -> released.add(name + (drop ? ":dropped" : ":kept"))).orElseThrow();
    }

    @Test
    void anUnkeptLockIsReleasedTenMinutesAfterItWasTaken() {
        lock("a");
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        registry.cleanUp();
        assertThat(released).isEmpty();
        assertThat(registry.held()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        registry.cleanUp();
        assertThat(released).containsExactly("a:dropped");
        assertThat(registry.held()).isZero();
    }

    @Test
    void aKeptLockOutlivesItsRetentionUntilUnlocked() {
        LockId id = lock("a");
        LockRegistry.KeptLock kept = registry.keep(id).orElseThrow();
        clock.advance(Duration.ofHours(2));
        registry.cleanUp();
        assertThat(released).isEmpty();

        kept.unlock();
        assertThat(released).containsExactly("a:dropped");
        assertThat(registry.held()).isZero();
    }

    @Test
    void anAbandonedKeepStillHoldsUntilTheOriginalRetentionEnds() {
        LockId id = lock("a");
        LockRegistry.KeptLock kept = registry.keep(id).orElseThrow();
        clock.advance(Duration.ofMinutes(3));
        kept.abandon();
        registry.cleanUp();
        assertThat(released).as("connection dropped after 3 minutes: still locked").isEmpty();

        clock.advance(Duration.ofMinutes(7).plusSeconds(1));
        registry.cleanUp();
        assertThat(released).containsExactly("a:dropped");
    }

    @Test
    void anAbandonedKeepPastItsRetentionIsReleasedAtOnce() {
        LockId id = lock("a");
        LockRegistry.KeptLock kept = registry.keep(id).orElseThrow();
        clock.advance(Duration.ofMinutes(30));
        kept.abandon();
        assertThat(released).containsExactly("a:dropped");
    }

    @Test
    void unknownAndExpiredIdsCannotBeKept() {
        assertThat(registry.keep(LockId.random())).isEmpty();
        LockId id = lock("a");
        clock.advance(Duration.ofMinutes(11));
        assertThat(registry.keep(id)).isEmpty();
    }

    @Test
    void theLimitRefusesFurtherLocksAndFreesUpOnRelease() {
        LockId first = lock("a");
        lock("b");
        lock("c");
        assertThat(registry.register(drop -> released.add("d"))).isEmpty();

        registry.keep(first).orElseThrow().unlock();
        Optional<LockId> again = registry.register(drop -> released.add("e"));
        assertThat(again).isPresent();
        assertThat(registry.held()).isEqualTo(3);
    }

    @Test
    void shutdownReleasesEverythingButKeepsRetentionOnDisk() {
        lock("a");
        registry.keep(lock("b")).orElseThrow();
        registry.shutdown();
        assertThat(released).containsExactlyInAnyOrder("a:kept", "b:kept");
        assertThat(registry.held()).isZero();
    }

    @Test
    void aSecondKeepTakesTheLockOverAndTheFirstKeepsEndChangesNothing() {
        LockId id = lock("a");
        LockRegistry.KeptLock first = registry.keep(id).orElseThrow();
        LockRegistry.KeptLock retry = registry.keep(id).orElseThrow();
        first.abandon();
        first.unlock();
        clock.advance(Duration.ofMinutes(30));
        registry.cleanUp();
        assertThat(released).as("kept by the retry past its retention").isEmpty();
        assertThat(registry.held()).isEqualTo(1);

        retry.unlock();
        assertThat(released).containsExactly("a:dropped");
        assertThat(registry.held()).isZero();
    }

    @Test
    void aKeepingTakenOverEndsAtOnce() {
        LockId id = lock("a");
        LockRegistry.KeptLock first = registry.keep(id).orElseThrow();
        assertThat(first.ended().toCompletableFuture()).isNotDone();
        LockRegistry.KeptLock retry = registry.keep(id).orElseThrow();
        assertThat(first.ended().toCompletableFuture()).isDone();
        assertThat(retry.ended().toCompletableFuture()).isNotDone();
        retry.unlock();
        assertThat(retry.ended().toCompletableFuture()).as("ended by its own unlock").isNotDone();
    }

    @Test
    void aLostLockIsReleasedAndItsKeepingEnds() {
        LockId id = lock("a");
        LockId other = lock("b");
        LockRegistry.KeptLock kept = registry.keep(id).orElseThrow();
        registry.lost(id);
        assertThat(released).containsExactly("a:dropped");
        assertThat(registry.held()).isEqualTo(1);
        assertThat(kept.ended().toCompletableFuture()).isDone();
        kept.unlock();
        registry.lost(id);
        assertThat(released).containsExactly("a:dropped");
        assertThat(registry.keep(id)).isEmpty();
        assertThat(registry.keep(other)).isPresent();
    }

    @Test
    void shutdownEndsEveryKeeping() {
        LockRegistry.KeptLock kept = registry.keep(lock("a")).orElseThrow();
        registry.shutdown();
        assertThat(kept.ended().toCompletableFuture()).isDone();
    }
}
