package io.annexgate.proxy.special;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.annexgate.protocol.Key;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exported trees read with JGit, kept per (repository, tree sha): a tree never changes, so an
 * entry stays right until evicted. Bounded by the bytes the entries hold; a tree larger than the
 * bound is read again whenever it is needed.
 */
public final class ExportedTrees {

    private static final Logger log = LoggerFactory.getLogger(ExportedTrees.class);

    /** The bound the server uses: 64 MiB of key and path text. */
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

    private final Cache<TreeRef, ExportTree> trees;

    public ExportedTrees(long maxBytes) {
        this.trees = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((TreeRef ref, ExportTree tree) -> (int) Math.min(Integer.MAX_VALUE, tree.weight()))
                .executor(Runnable::run)
                .build();
    }

    private record TreeRef(Path gitDir, ObjectId tree) { }

    /** The tree {@code treeSha} of the repository at {@code gitDir}, mapped from keys to paths. */
    ExportTree tree(Path gitDir, String treeSha) throws IOException {
        ObjectId id;
        try {
            id = ObjectId.fromString(treeSha);
        } catch (IllegalArgumentException e) {
            throw new IOException("export.log names a tree that is not a git sha: " + treeSha, e);
        }
        TreeRef ref = new TreeRef(gitDir, id);
        try {
            return trees.get(ref, r -> {
                try {
                    return read(r.gitDir(), r.tree());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Trees held now, for tests. */
    long cached() {
        trees.cleanUp();
        return trees.estimatedSize();
    }

    private static ExportTree read(Path gitDir, ObjectId tree) throws IOException {
        if (tree.equals(ObjectId.fromString(Constants.EMPTY_TREE_ID.name()))) {
            return ExportTree.EMPTY;
        }
        long started = System.nanoTime();
        ExportTree.Builder builder = new ExportTree.Builder();
        try (Repository git = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
                ObjectReader reader = git.newObjectReader();
                TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            while (walk.next()) {
                FileMode mode = walk.getFileMode(0);
                if (mode != FileMode.SYMLINK && mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
                    continue;
                }
                ObjectId blob = walk.getObjectId(0);
                if (reader.getObjectSize(blob, Constants.OBJ_BLOB) > AnnexPointers.MAX_POINTER_BYTES) {
                    continue;
                }
                Optional<Key> key = AnnexPointers.keyOf(reader.open(blob, Constants.OBJ_BLOB).getBytes());
                String path = walk.getPathString();
                if (key.isPresent() && safe(path)) {
                    builder.add(key.get(), path);
                }
            }
        }
        ExportTree read = builder.build();
        log.debug("read exported tree {} of {}: {} keys in {} ms", tree.name(), gitDir, read.keys(),
                (System.nanoTime() - started) / 1_000_000);
        return read;
    }

    /** A path that stays inside the remote's directory and out of its annexobjects area. */
    static boolean safe(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.equals(".git") || path.startsWith(".git/")) {
            return false;
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
