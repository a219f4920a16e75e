package io.annexgate.repository;

import io.annexgate.process.ChildCommand;
import io.annexgate.process.ChildRun;
import java.io.IOException;
import java.time.Duration;

/**
 * Leaves the work to git-annex when the branch needs more than a commit (it does not exist yet,
 * sibling branches are unmerged, its index is behind): a read-only git-annex command updates the
 * branch (merging {@code synced/git-annex} and remotes' branches) and commits the journal as it exits.
 */
public final class GitAnnexBranchUpdate {

    static final Duration TIMEOUT = Duration.ofSeconds(600);

    private GitAnnexBranchUpdate() {
    }

    /**
     * Runs {@code git annex numcopies} in the repository, which reads the branch and so updates it.
     * One that runs over ten minutes (waiting for a lock held elsewhere, say) is killed.
     */
    public static void run(AnnexRepository repository) throws IOException {
        run(repository, TIMEOUT);
    }

    static void run(AnnexRepository repository, Duration timeout) throws IOException {
        ChildRun.run(ChildCommand.of(repository.dir(), "git", "annex", "numcopies"), timeout).requireSuccess();
    }
}
