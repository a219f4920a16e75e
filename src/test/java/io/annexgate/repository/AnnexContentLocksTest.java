package io.annexgate.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.protocol.Key;
import io.annexgate.repository.ContentLocks.RemovalLock;
import io.annexgate.repository.ContentLocks.SharedContentLock;
import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.FcntlHolder;
import io.annexgate.testing.ProcLocks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content locks on git-annex's own lock files, seen from another process (a python fcntl helper
 * taking the locks git-annex takes): what each holder promises, how holders in this process share
 * one lock, and whose retention time may go when a lock ends.
 */
class AnnexContentLocksTest {

    @TempDir
    Path tmp;

    AnnexContentLocks locks;
    Key key;
    Path object;

    @BeforeEach
    void repository() {
        AnnexRepo repo = AnnexRepo.init(tmp, "r");
        String k = repo.add("f", "content\n".getBytes(StandardCharsets.UTF_8));
        AnnexRepository repository = AnnexRepository.open(repo.dir()).orElseThrow();
        AnnexObjectStore store = new AnnexObjectStore(repository);
        locks = new AnnexContentLocks(repository, store, Clock.systemUTC());
        key = Key.parse(k);
        object = repo.dir().resolve(repo.annex("contentlocation", k).strip());
    }

    private Path sibling(String suffix) {
        return object.resolveSibling(object.getFileName() + suffix);
    }

    private static Instant retainUntil() {
        return Instant.now().plus(Duration.ofMinutes(10));
    }

    /** Whether another process could take the exclusive lock git-annex's drop takes. */
    private boolean aDropCouldLock() {
        try (FcntlHolder drop = FcntlHolder.exclusive(sibling(".lck"))) {
            return drop.holds();
        }
    }

    @Test
    void twoHoldersHereShareOneLockThatOutlivesTheFirstRelease() throws Exception {
        SharedContentLock one = locks.lockShared(key, retainUntil()).orElseThrow();
        SharedContentLock two = locks.lockShared(key, retainUntil()).orElseThrow();
        one.release(true);
        assertThat(ProcLocks.holding(sibling(".lck"), ProcessHandle.current().pid())).isTrue();
        assertThat(aDropCouldLock()).isFalse();
        assertThat(locks.lockForRemoval(key)).isEmpty();

        two.release(true);
        assertThat(sibling(".lck")).doesNotExist();
        assertThat(sibling(".rtm")).doesNotExist();
        assertThat(aDropCouldLock()).isTrue();
    }

    @Test
    void contentAnotherProcessHoldsIsNotRemovedAndContentAnotherProcessRemovesIsNotLocked() throws Exception {
        Files.createFile(sibling(".lck"));
        try (FcntlHolder keeper = FcntlHolder.shared(sibling(".lck"))) {
            assertThat(keeper.holds()).isTrue();
            assertThat(locks.lockForRemoval(key)).isEmpty();
        }
        try (FcntlHolder dropping = FcntlHolder.exclusive(sibling(".lck"))) {
            assertThat(dropping.holds()).isTrue();
            assertThat(locks.lockShared(key, retainUntil())).isEmpty();
        }
        try (RemovalLock removal = locks.lockForRemoval(key).orElseThrow()) {
            assertThat(aDropCouldLock()).isFalse();
        }
    }

    @Test
    void aLaterRetentionAnotherProcessWroteOutlivesOurLock() throws Exception {
        // another process locked for longer than we do (and may be gone since): its time stands
        String theirs = new RetentionTimestamp(Instant.now().plus(Duration.ofHours(1))).render();
        Path rtm = sibling(".rtm");
        FilePermissions.inThawedDirectory(object.getParent(), () -> Files.writeString(rtm, theirs));
        SharedContentLock ours = locks.lockShared(key, retainUntil()).orElseThrow();
        assertThat(rtm).hasContent(theirs);
        ours.release(true);
        assertThat(rtm).hasContent(theirs);
        assertThat(locks.lockForRemoval(key)).isEmpty();
    }
}
