package io.annexgate.repository;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Leaves the work to git-annex when the branch needs more than a commit (it does not exist yet,
 * sibling branches are unmerged, its index is behind): a read-only git-annex command updates the
 * branch (merging {@code synced/git-annex} and remotes' branches) and commits the journal as it exits.
 */
public final class GitAnnexBranchUpdate {

    private static final long TIMEOUT_SECONDS = 600;

    private GitAnnexBranchUpdate() {
    }

    /** Runs {@code git annex numcopies} in the repository, which reads the branch and so updates it. */
    public static void run(AnnexRepository repository) throws IOException {
        Process p = new ProcessBuilder("git", "annex", "numcopies")
                .directory(repository.dir().toFile())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        byte[] output = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("git annex numcopies timed out in " + repository.dir());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("git annex numcopies failed in " + repository.dir() + ": "
                    + new String(output, StandardCharsets.UTF_8).strip());
        }
    }
}
