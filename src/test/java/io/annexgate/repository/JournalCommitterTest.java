package io.annexgate.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.annexgate.protocol.Key;
import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.Command;
import io.annexgate.testing.IndexLockHolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Committing the journal to the git-annex branch of a real repository, checked with git and git-annex. */
class JournalCommitterTest {

    private static final Key KEY = Key.parse("SHA256E-s6--e258d248fda94c63753607f7c4494ee0fcbe92f1a76bfdac795c9d84101eb317.txt");
    private static final Key OTHER = Key.parse("SHA256E-s4--b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c.txt");

    @TempDir
    Path tmp;

    AnnexRepo served;
    AnnexRepository repository;
    GitAnnexBranch branch;
    JournalLock lock;
    JournalLocationLog log;
    JournalCommitter committer;

    @BeforeEach
    void open() throws Exception {
        served = AnnexRepo.init(tmp, "served");
        repository = AnnexRepository.open(served.dir()).orElseThrow();
        branch = new GitAnnexBranch(repository);
        lock = new JournalLock(repository);
        log = new JournalLocationLog(repository, branch, lock, Clock.systemUTC());
        committer = new JournalCommitter(repository, branch, lock);
    }

    @AfterEach
    void close() {
        branch.close();
    }

    private String path(Key key) {
        return LocationLogContent.branchPath(key, 2);
    }

    private String[] journal() throws Exception {
        return Files.isDirectory(repository.journalDir())
                ? repository.journalDir().toFile().list() : new String[0];
    }

    @Test
    void commitsTheJournalOnTheBranchWithThePreviousTipAsParentAndEmptiesIt() throws Exception {
        String before = served.git("rev-parse", "git-annex").strip();
        log.record(KEY, repository.uuid(), true);
        log.record(OTHER, repository.uuid(), true);

        assertThat(committer.commit()).isEqualTo(JournalCommitter.Outcome.COMMITTED);

        assertThat(served.git("log", "-1", "--format=%s", "git-annex").strip()).isEqualTo("update");
        assertThat(served.git("rev-parse", "git-annex^").strip()).isEqualTo(before);
        assertThat(served.git("rev-list", "--count", before + "..git-annex").strip()).isEqualTo("1");
        assertThat(served.git("show", "git-annex:" + path(KEY))).matches("\\d+(\\.\\d+)?s 1 " + repository.uuid().value() + "\n");
        assertThat(served.git("show", "git-annex:" + path(OTHER))).contains(" 1 " + repository.uuid().value());
        assertThat(served.git("show", "git-annex:uuid.log")).contains(repository.uuid().value());
        assertThat(journal()).isEmpty();
        String tip = served.git("rev-parse", "git-annex").strip();
        assertThat(Files.readString(repository.branchIndexStatus()).strip()).isEqualTo(tip);
        // the branch's index agrees with the branch: git-annex finds nothing to merge or commit
        Command.Result diff = Command.run(served.dir(), Map.of("GIT_INDEX_FILE", repository.branchIndex().toString()),
                "git", "diff-index", "--cached", "git-annex");
        assertThat(diff.ok()).isTrue();
        assertThat(diff.output().strip()).isEmpty();
        served.annex("numcopies");
        assertThat(served.git("rev-parse", "git-annex").strip()).isEqualTo(tip);
        assertThat(served.annex("whereis", "--key", KEY.serialize())).contains("served");
        assertThat(Command.run(served.dir(), "git", "fsck", "--no-progress").ok()).isTrue();
    }

    @Test
    void anEmptyJournalCommitsNothing() throws Exception {
        String before = served.git("rev-parse", "git-annex").strip();

        assertThat(committer.commit()).isEqualTo(JournalCommitter.Outcome.NOTHING);

        assertThat(served.git("rev-parse", "git-annex").strip()).isEqualTo(before);
    }

    @Test
    void changesBetweenCommitsAddOneCommitEach() throws Exception {
        log.record(KEY, repository.uuid(), true);
        committer.commit();
        log.record(KEY, repository.uuid(), false);
        committer.commit();

        assertThat(served.git("log", "--format=%s", "-2", "git-annex").lines()).containsExactly("update", "update");
        assertThat(served.git("show", "git-annex:" + path(KEY))).contains(" 0 " + repository.uuid().value())
                .doesNotContain(" 1 ");
        assertThat(log.says(KEY, repository.uuid())).isFalse();
    }

    @Test
    void anUnmergedSyncedBranchIsLeftToGitAnnexWhichMergesItAndCommitsTheJournal() throws Exception {
        AnnexRepo client = AnnexRepo.cloneOf(served, tmp, "client", "annex+http://127.0.0.1:1/git-annex/");
        String clientKey = client.add("c.txt", "from the client\n".getBytes(StandardCharsets.UTF_8));
        served.git("fetch", "-q", client.dir().toString(), "git-annex:refs/heads/synced/git-annex");
        String synced = served.git("rev-parse", "synced/git-annex").strip();
        log.record(KEY, repository.uuid(), true);

        assertThat(committer.commit()).isEqualTo(JournalCommitter.Outcome.LEFT_TO_GIT_ANNEX);

        assertThat(Command.run(served.dir(), "git", "merge-base", "--is-ancestor", synced, "git-annex").ok()).isTrue();
        assertThat(served.git("show", "git-annex:" + path(KEY))).contains(" 1 " + repository.uuid().value());
        assertThat(served.git("show", "git-annex:" + path(Key.parse(clientKey)))).contains(client.uuid());
        assertThat(journal()).isEmpty();
        // and the next commit is ours again
        log.record(OTHER, repository.uuid(), true);
        assertThat(committer.commit()).isEqualTo(JournalCommitter.Outcome.COMMITTED);
    }

    @Test
    void aMissingBranchIndexIsLeftToGitAnnex() throws Exception {
        Files.delete(repository.branchIndex());
        log.record(KEY, repository.uuid(), true);

        assertThat(committer.commit()).isEqualTo(JournalCommitter.Outcome.LEFT_TO_GIT_ANNEX);

        assertThat(served.git("show", "git-annex:" + path(KEY))).contains(" 1 " + repository.uuid().value());
        assertThat(journal()).isEmpty();
    }

    @Test
    void journalFilesGitAnnexWroteAreCommittedToo() throws Exception {
        served.git("config", "annex.alwayscommit", "false");
        served.annex("setpresentkey", OTHER.serialize(), repository.uuid().value(), "1");
        served.git("config", "--unset", "annex.alwayscommit");
        assertThat(journal()).isNotEmpty();

        assertThat(committer.commit()).isEqualTo(JournalCommitter.Outcome.COMMITTED);

        assertThat(served.git("show", "git-annex:" + path(OTHER))).contains(" 1 " + repository.uuid().value());
        assertThat(journal()).isEmpty();
    }

    private static final Key THIRD = Key.parse("SHA256E-s3--2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae.txt");

    @Test
    void anIndexLockHeldByARealGitProcessIsWaitedOutNeverRemovedAndTheJournalStays() throws Exception {
        Path indexLock;
        try (IndexLockHolder git = IndexLockHolder.hold(served.dir(), repository.gitDir())) {
            indexLock = git.indexLock();
            log.record(KEY, repository.uuid(), true);
            String before = served.git("rev-parse", "git-annex").strip();

            assertThatThrownBy(committer::commit).isInstanceOf(IOException.class).hasMessageContaining("index.lock");

            assertThat(indexLock).exists();
            assertThat(git.isAlive()).isTrue();
            assertThat(journal()).isNotEmpty();
            assertThat(served.git("rev-parse", "git-annex").strip()).isEqualTo(before);
        }
        assertThat(indexLock).doesNotExist();

        assertThat(committer.commit()).isEqualTo(JournalCommitter.Outcome.COMMITTED);
        assertThat(served.git("show", "git-annex:" + path(KEY))).contains(" 1 " + repository.uuid().value());
        assertThat(journal()).isEmpty();
    }

    @Test
    void anIndexThatCannotBeReplacedKeepsTheJournalAndLosesNoHistory() throws Exception {
        log.record(KEY, repository.uuid(), true);
        assertThat(committer.commit()).isEqualTo(JournalCommitter.Outcome.COMMITTED);

        // the new index cannot be renamed into place (its lock file vanished under us)
        Path indexLock = repository.annexDir().resolve("index.lock");
        committer.beforeIndexReplaced(() -> {
            try {
                Files.delete(indexLock);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        log.record(OTHER, repository.uuid(), true);
        assertThatThrownBy(committer::commit).isInstanceOf(IOException.class);
        assertThat(journal()).isNotEmpty();

        committer.beforeIndexReplaced(() -> { });
        log.record(THIRD, repository.uuid(), true);
        assertThat(committer.commit()).isIn(JournalCommitter.Outcome.COMMITTED, JournalCommitter.Outcome.LEFT_TO_GIT_ANNEX);

        // every batch's lines are on the branch: none was lost to a stale index
        for (Key key : new Key[] {KEY, OTHER, THIRD}) {
            assertThat(served.git("show", "git-annex:" + path(key))).contains(" 1 " + repository.uuid().value());
        }
        assertThat(journal()).isEmpty();
        // and later commits keep building on an index that agrees with the branch
        log.record(KEY, repository.uuid(), false);
        committer.commit();
        assertThat(served.git("show", "git-annex:" + path(OTHER))).contains(" 1 " + repository.uuid().value());
        assertThat(served.git("show", "git-annex:" + path(THIRD))).contains(" 1 " + repository.uuid().value());
        served.annex("fsck", "--fast", "--quiet");
    }
}
