package io.annexgate.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexgate.process.ChildTimedOutException;
import io.annexgate.protocol.Key;
import io.annexgate.testing.AnnexRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code git annex numcopies} run to update the branch, in a real repository. */
class GitAnnexBranchUpdateTest {

    private static final Key KEY = Key.parse("SHA256E-s6--e258d248fda94c63753607f7c4494ee0fcbe92f1a76bfdac795c9d84101eb317.txt");

    @TempDir
    Path tmp;

    AnnexRepository repository;
    GitAnnexBranch branch;
    JournalLock lock;

    @BeforeEach
    void open() throws Exception {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        repository = AnnexRepository.open(served.dir()).orElseThrow();
        branch = new GitAnnexBranch(repository);
        lock = new JournalLock(repository);
        // the branch's index is gone and the journal has a change: git-annex must take journal.lck
        Files.delete(repository.branchIndex());
        new JournalLocationLog(repository, branch, lock, Clock.systemUTC()).record(KEY, repository.uuid(), true);
    }

    @AfterEach
    void close() {
        branch.close();
    }

    @Test
    void updatesTheBranchAndCommitsTheJournal() throws Exception {
        GitAnnexBranchUpdate.run(repository);

        assertThat(repository.journalDir().toFile().list()).isNullOrEmpty();
    }

    // a safety net only: without a working timeout the update waits for the journal lock forever
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aGitAnnexThatWaitsForeverForTheJournalLockTimesOut() throws Exception {
        lock.holding(() -> {
            assertThatThrownBy(() -> GitAnnexBranchUpdate.run(repository, Duration.ofSeconds(2)))
                    .isInstanceOf(ChildTimedOutException.class)
                    .hasMessageContaining("git annex numcopies")
                    .hasMessageContaining("timed out");
            return null;
        });
    }
}
