package io.annexgate.repository;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.errors.LockFailedException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.FS;

/**
 * Commits the journal onto {@code refs/heads/git-annex} as git-annex's own commit does: under
 * {@code journal.lck}, the journal files are staged into the branch's index {@code annex/index},
 * a tree is written from it and committed with the previous tip as parent, the branch moves
 * (only from that tip), {@code annex/index.lck} records the new commit, and the journal files
 * committed are deleted. All through JGit, without spawning git. The new objects and the ref are
 * forced to the disk before the journal files are deleted; a commit that fails half-way leaves the
 * journal in place, and a lock on {@code annex/index} that another process holds is waited out,
 * never removed.
 *
 * <p>When a plain commit would be wrong (no branch yet, sibling {@code git-annex} branches not
 * merged, the index behind the branch, or the branch moved under us) git-annex does the work:
 * see {@link GitAnnexBranchUpdate}.
 */
public final class JournalCommitter {

    /** What a commit attempt did. */
    public enum Outcome {
        /** The journal was empty. */
        NOTHING,
        /** The journal was committed here. */
        COMMITTED,
        /** The branch needed merging, so git-annex updated it and committed the journal. */
        LEFT_TO_GIT_ANNEX
    }

    private static final String DEFAULT_MESSAGE = "update";

    private final AnnexRepository repository;
    private final GitAnnexBranch branch;
    private final JournalLock journalLock;
    /** For fault tests: runs between writing the new index and renaming it into place. */
    private Runnable beforeIndexReplaced = () -> { };

    public JournalCommitter(AnnexRepository repository, GitAnnexBranch branch, JournalLock journalLock) {
        this.repository = repository;
        this.branch = branch;
        this.journalLock = journalLock;
    }

    void beforeIndexReplaced(Runnable fault) {
        this.beforeIndexReplaced = fault;
    }

    /** A journal file read for committing. */
    private record Staged(Path file, String branchPath, byte[] content) { }

    /** Commits what is in the journal now. */
    public Outcome commit() throws IOException {
        Outcome outcome = journalLock.holding(this::commitHoldingLock);
        if (outcome == Outcome.LEFT_TO_GIT_ANNEX) {
            // git-annex takes journal.lck itself, so it runs after we let go
            GitAnnexBranchUpdate.run(repository);
        }
        return outcome;
    }

    private Outcome commitHoldingLock() throws IOException {
        List<Staged> staged = readJournal();
        if (staged.isEmpty()) {
            return Outcome.NOTHING;
        }
        Repository git = branch.git();
        Ref ref = git.exactRef(GitAnnexBranch.REF);
        if (ref == null || ref.getObjectId() == null || !indexUpTo(ref.getObjectId())
                || hasUnmergedSiblings(git, ref.getObjectId())) {
            return Outcome.LEFT_TO_GIT_ANNEX;
        }
        ObjectId tip = ref.getObjectId();
        DirCache index;
        try {
            index = DirCache.lock(repository.branchIndex().toFile(), FS.DETECTED);
        } catch (LockFailedException e) {
            // another git process is changing annex/index: never take its lock away, try again later
            throw new IOException("annex/index.lock is held by another process; the journal stays and is committed later", e);
        }
        boolean written = false;
        try (DurableInserter inserter = new DurableInserter(git.newObjectInserter(), objectsDirectory(git))) {
            DirCacheEditor editor = index.editor();
            for (Staged s : staged) {
                ObjectId blob = inserter.insert(Constants.OBJ_BLOB, s.content());
                editor.add(new DirCacheEditor.PathEdit(s.branchPath()) {
                    @Override
                    public void apply(DirCacheEntry entry) {
                        entry.setFileMode(FileMode.REGULAR_FILE);
                        entry.setObjectId(blob);
                        entry.setLength(s.content().length);
                    }
                });
            }
            editor.finish();
            ObjectId tree = index.writeTree(inserter);
            PersonIdent who = new PersonIdent(git);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree);
            commit.setParentId(tip);
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage(message(git) + "\n");
            ObjectId committed = inserter.insert(commit);
            inserter.flush();
            // the commit and everything it points to are on the disk before the branch names it
            inserter.forceInserted();

            RefUpdate update = git.updateRef(GitAnnexBranch.REF);
            update.setExpectedOldObjectId(tip);
            update.setNewObjectId(committed);
            update.setRefLogMessage("commit: update", false);
            RefUpdate.Result result = update.update();
            if (result != RefUpdate.Result.FAST_FORWARD) {
                // the branch moved (a push to it): git-annex merges it into the index and commits
                return Outcome.LEFT_TO_GIT_ANNEX;
            }
            forceRef(git);
            index.write();
            beforeIndexReplaced.run();
            written = index.commit();
            if (!written) {
                // the branch has the journal's lines but annex/index does not: annex/index.lck keeps
                // naming the old tip, so the next commit leaves the index to git-annex to bring up
                // to date, and the journal stays until a commit has really gone through
                throw new IOException("could not replace annex/index; the journal stays and is committed later");
            }
            writeIndexStatus(committed);
        } finally {
            if (!written) {
                index.unlock();
            }
        }
        for (Staged s : staged) {
            deleteIfUnchanged(s);
        }
        return Outcome.COMMITTED;
    }

    private static Path objectsDirectory(Repository git) {
        return git.getDirectory().toPath().resolve("objects");
    }

    /** Forces the branch's loose ref file (when it is one) and its directory. */
    private static void forceRef(Repository git) throws IOException {
        Path refFile = git.getDirectory().toPath().resolve(GitAnnexBranch.REF);
        if (Files.isRegularFile(refFile)) {
            Fsync.file(refFile);
            Fsync.directory(refFile.getParent());
        }
    }

    private List<Staged> readJournal() throws IOException {
        List<Staged> staged = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(repository.journalDir())) {
            files = listing.filter(Files::isRegularFile).sorted().toList();
        } catch (NoSuchFileException e) {
            return staged;
        }
        for (Path file : files) {
            try {
                staged.add(new Staged(file, LocationLogContent.branchPathOfJournalFile(file.getFileName().toString()),
                        Files.readAllBytes(file)));
            } catch (NoSuchFileException e) {
                // gone since the listing (cannot happen under the lock, but harmless)
            }
        }
        return staged;
    }

    /** Whether {@code annex/index} exists and {@code annex/index.lck} says it is at {@code tip}. */
    private boolean indexUpTo(ObjectId tip) throws IOException {
        if (!Files.isRegularFile(repository.branchIndex())) {
            return false;
        }
        try {
            String status = Files.readString(repository.branchIndexStatus(), StandardCharsets.UTF_8);
            String first = status.lines().findFirst().orElse("").strip();
            return ObjectId.isId(first) && ObjectId.fromString(first).equals(tip);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Whether another {@code …/git-annex} ref has commits the branch lacks (and git-annex has not merged). */
    private boolean hasUnmergedSiblings(Repository git, ObjectId tip) throws IOException {
        Set<ObjectId> merged = mergedRefs();
        try (RevWalk walk = new RevWalk(git)) {
            for (Ref sibling : git.getRefDatabase().getRefs()) {
                String name = sibling.getName();
                if (name.equals(GitAnnexBranch.REF) || !name.endsWith("/git-annex")) {
                    continue;
                }
                ObjectId id = sibling.getObjectId();
                if (id == null || id.equals(tip) || merged.contains(id)) {
                    continue;
                }
                if (!walk.isMergedInto(walk.parseCommit(id), walk.parseCommit(tip))) {
                    return true;
                }
                walk.reset();
            }
        }
        return false;
    }

    /** Commits listed in {@code annex/mergedrefs} and {@code annex/ignoredrefs}: git-annex will not merge them again. */
    private Set<ObjectId> mergedRefs() throws IOException {
        Set<ObjectId> merged = new HashSet<>();
        for (Path file : List.of(repository.mergedRefs(), repository.annexDir().resolve("ignoredrefs"))) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String sha = line.split("\t", 2)[0].strip();
                    if (ObjectId.isId(sha)) {
                        merged.add(ObjectId.fromString(sha));
                    }
                }
            } catch (NoSuchFileException e) {
                // none recorded
            }
        }
        return merged;
    }

    /** {@code annex.commitmessage} when set, as git-annex uses it, else "update". */
    private static String message(Repository git) {
        String configured = git.getConfig().getString("annex", null, "commitmessage");
        return configured == null || configured.isBlank() ? DEFAULT_MESSAGE : configured;
    }

    /**
     * Records in {@code annex/index.lck} that the index matches {@code committed}. The index is
     * forced first: after a crash, index.lck never names a commit the index on disk does not match
     * (a stale index taken for current would drop the journal lines it lacks from the next commit).
     */
    private void writeIndexStatus(ObjectId committed) throws IOException {
        Fsync.file(repository.branchIndex());
        Fsync.replace(repository.annexDir().resolve("index.lck.annexgate-tmp"), repository.branchIndexStatus(),
                (committed.name() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void deleteIfUnchanged(Staged s) throws IOException {
        try {
            if (Arrays.equals(Files.readAllBytes(s.file()), s.content())) {
                Files.delete(s.file());
            }
        } catch (NoSuchFileException e) {
            // already gone
        }
    }
}
