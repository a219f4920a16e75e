package io.annexgate.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.FcntlHolder;
import io.annexgate.testing.ProcLocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While Annexgate uses othertmp, git-annex's cleanup (an exclusive fcntl lock on othertmp.lck,
 * taken here by another process as git-annex takes it) is kept out, and let in afterwards.
 */
class OtherTmpTest {

    @TempDir
    Path tmp;

    /** Whether another process can take the exclusive lock git-annex's othertmp cleanup takes. */
    private static boolean cleanupCouldRun(Path lockFile) {
        try (FcntlHolder cleanup = FcntlHolder.exclusive(lockFile)) {
            return cleanup.holds();
        }
    }

    @Test
    void gitAnnexCannotEmptyOthertmpWhileWeUseItAndCanAfterwards() throws Exception {
        AnnexRepository repository = AnnexRepository.open(AnnexRepo.init(tmp, "r").dir()).orElseThrow();
        Path lockFile = repository.annexDir().resolve("othertmp.lck");
        boolean[] duringOuter = new boolean[2];
        OtherTmp.using(repository, dir -> {
            Files.writeString(dir.resolve("ours"), "x");
            duringOuter[0] = cleanupCouldRun(lockFile);
            OtherTmp.using(repository, inner -> {
                duringOuter[1] = cleanupCouldRun(lockFile);
                return null;
            });
            return null;
        });
        assertThat(duringOuter).containsExactly(false, false);
        assertThat(cleanupCouldRun(lockFile)).isTrue();
    }

    /**
     * git-annex emptying repository A's othertmp (another process holding othertmp.lck exclusively)
     * holds up A's users only: a journal write in repository B goes ahead meanwhile, and A's user
     * gets in once the cleanup lets go.
     */
    @Test
    void anotherRepositorysCleanupDoesNotHoldUpAJournalWriteHere() throws Exception {
        AnnexRepository a = AnnexRepository.open(AnnexRepo.init(tmp, "a").dir()).orElseThrow();
        AnnexRepo bRepo = AnnexRepo.init(tmp, "b");
        AnnexRepository b = AnnexRepository.open(bRepo.dir()).orElseThrow();
        Path aLock = a.annexDir().resolve("othertmp.lck");
        Key key = Key.parse("SHA256E-s1--6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b");
        try (FcntlHolder cleanup = FcntlHolder.exclusive(aLock);
                GitAnnexBranch branch = new GitAnnexBranch(b)) {
            assertThat(cleanup.holds()).isTrue();
            CompletableFuture<Path> inA = CompletableFuture.supplyAsync(() -> {
                try {
                    return OtherTmp.using(a, dir -> Files.writeString(dir.resolve("a"), "a"));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, runnable -> Thread.ofVirtual().start(runnable));
            long self = ProcessHandle.current().pid();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ProcLocks.waiting(aLock, self));

            LocationLog bLog = new JournalLocationLog(b, branch, new JournalLock(b), Clock.systemUTC());
            AnnexUuid someone = new AnnexUuid("0badc0de-0000-4000-8000-000000000001");
            CompletableFuture<Void> inB = CompletableFuture.runAsync(() -> {
                try {
                    bLog.record(key, someone, true);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, runnable -> Thread.ofVirtual().start(runnable));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(inB::isDone);
            inB.join();
            assertThat(bLog.says(key, someone)).isTrue();
            assertThat(inA).isNotDone();

            cleanup.close();
            assertThat(inA.get(30, TimeUnit.SECONDS)).hasFileName("a");
        }
    }
}
