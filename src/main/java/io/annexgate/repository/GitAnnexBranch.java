package io.annexgate.repository;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/** The {@code git-annex} branch through JGit, without spawning git. */
public final class GitAnnexBranch implements BranchFiles, AutoCloseable {

    public static final String REF = "refs/heads/git-annex";

    private final Repository git;

    public GitAnnexBranch(AnnexRepository repository) throws IOException {
        this.git = new FileRepositoryBuilder().setGitDir(repository.gitDir().toFile()).setMustExist(true).build();
    }

    /** The content of {@code path} on the branch, or empty when the branch or file does not exist. */
    @Override
    public Optional<String> read(String path) throws IOException {
        ObjectId tree = git.resolve(REF + "^{tree}");
        if (tree == null) {
            return Optional.empty();
        }
        try (TreeWalk walk = TreeWalk.forPath(git, path, tree)) {
            if (walk == null) {
                return Optional.empty();
            }
            byte[] bytes = git.open(walk.getObjectId(0)).getBytes();
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    /** The JGit repository, for writing the branch. */
    Repository git() {
        return git;
    }

    @Override
    public void close() {
        git.close();
    }
}
