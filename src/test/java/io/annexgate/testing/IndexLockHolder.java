package io.annexgate.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real git process holding the lock on a repository's git-annex index ({@code annex/index.lock}):
 * {@code git commit --all} with that index holds it while its editor runs, and the editor waits.
 * Closing ends git, which removes its lock as it exits.
 */
public final class IndexLockHolder implements AutoCloseable {

    private final Process git;
    private final Path indexLock;

    private IndexLockHolder(Process git, Path indexLock) {
        this.git = git;
        this.indexLock = indexLock;
    }

    /** Starts git in the repository whose git directory is {@code gitDir}, and waits until it holds the lock. */
    public static IndexLockHolder hold(Path workTree, Path gitDir) {
        Path index = gitDir.resolve("annex/index");
        ProcessBuilder builder = new ProcessBuilder("git", "commit", "--all", "--allow-empty", "-q")
                .directory(workTree.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(Command.environment());
        builder.environment().put("GIT_INDEX_FILE", index.toString());
        builder.environment().put("GIT_EDITOR", "sleep 600 #");
        try {
            IndexLockHolder holder = new IndexLockHolder(builder.start(), gitDir.resolve("annex/index.lock"));
            await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(holder.indexLock));
            return holder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path indexLock() {
        return indexLock;
    }

    public boolean isAlive() {
        return git.isAlive();
    }

    /** Ends git (SIGTERM: it removes its lock) and waits until the lock is gone. */
    @Override
    public void close() {
        git.destroy();
        await().atMost(Duration.ofMinutes(1)).until(() -> !git.isAlive() && !Files.exists(indexLock));
    }
}
