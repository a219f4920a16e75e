package io.annexgate.proxy.special;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import io.annexgate.repository.BranchFiles;
import io.annexgate.repository.ContentHasher;
import io.annexgate.repository.HashDirectories;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * git-annex's {@code directory} special remote with {@code exporttree=yes annexobjects=yes}, as
 * git-annex's proxy treats it (Annex/Proxy.hs {@code storeput}, Remote/Helper/ExportImport.hs):
 * <ul>
 * <li>the exported tree is the tree {@code export.log} records for the remote, mapped from keys to
 *     paths with JGit ({@link ExportedTrees});
 * <li>a put goes to every path of that tree naming the key that does not hold a file yet (each its
 *     own copy), or, when the tree does not name the key, to the annexobjects location
 *     {@code <dir>/.git/annex/objects/<hashdirlower>/<keyfile>/<keyfile>}
 *     ({@code exportAnnexObjectLocation}, hash levels of the served repository); every file is
 *     written to a temporary name beside it and renamed into place on commit ({@code viaTmp} of
 *     {@code storeExportM}), with the file-creation mode and no write protection, as git-annex
 *     leaves exported files;
 * <li>checkpresent and get look at the tree's paths, then at the annexobjects location; content of
 *     keys that cannot be verified is not read back ({@code retrieveFromExport});
 * <li>remove deletes only the annexobjects copy, and refuses while the tree names the key
 *     ({@code removeannexobject}); emptied parent directories go too ({@code removeExportLocation}).
 * </ul>
 * When two trees are recorded (an export conflict) a put goes to annexobjects only, lookups try
 * the paths of both, and remove is refused, as git-annex does until the conflict is resolved.
 * The export database git-annex keeps in the served repository is not written: {@code git annex
 * export} finds files stored here at their paths with its own checkpresent and records them then.
 */
public final class DirectoryExportRemote implements SpecialRemote {

    private final Path dir;
    private final AnnexUuid uuid;
    private final Path gitDir;
    private final BranchFiles branch;
    private final ExportedTrees trees;
    private final int objectHashLevels;

    /**
     * @param dir the remote's directory ({@code remote.<name>.annex-directory})
     * @param uuid the remote's uuid, whose entries of {@code export.log} count
     * @param gitDir the served repository, which holds the exported trees
     * @param branch its git-annex branch as git-annex reads it (journal first)
     * @param objectHashLevels the served repository's object hash levels
     */
    public DirectoryExportRemote(Path dir, AnnexUuid uuid, Path gitDir, BranchFiles branch, ExportedTrees trees,
            int objectHashLevels) {
        this.dir = dir.toAbsolutePath().normalize();
        this.uuid = uuid;
        this.gitDir = gitDir;
        this.branch = branch;
        this.trees = trees;
        this.objectHashLevels = objectHashLevels;
    }

    @Override
    public String description() {
        return "directory " + dir + " (exporttree, annexobjects)";
    }

    /** {@code .git/annex/objects/<hashdirlower>/<keyfile>/<keyfile>} inside the remote. */
    public Path annexObjectLocation(Key key) {
        String file = key.fileName();
        return dir.resolve(".git").resolve("annex").resolve("objects")
                .resolve(HashDirectories.lower(key, objectHashLevels)).resolve(file).resolve(file);
    }

    /** What {@code export.log} says is exported to the remote now. */
    private record Export(List<ExportTree> trees) {

        boolean conflict() {
            return trees.size() > 1;
        }

        List<String> paths(Key key) {
            if (trees.size() == 1) {
                return trees.get(0).paths(key);
            }
            Set<String> paths = new LinkedHashSet<>();
            trees.forEach(t -> paths.addAll(t.paths(key)));
            return List.copyOf(paths);
        }
    }

    private Export export() throws IOException {
        List<String> shas = ExportLog.exportedTrees(branch.read("export.log").orElse(""), uuid);
        List<ExportTree> read = new ArrayList<>(shas.size());
        for (String sha : shas) {
            try {
                read.add(trees.tree(gitDir, sha));
            } catch (IOException e) {
                throw new Unavailable("cannot read the tree exported to it, " + sha + ": " + e.getMessage());
            }
        }
        return new Export(read);
    }

    /** The export locations of {@code key} in the exported tree (every recorded tree, on a conflict). */
    public List<String> exportPaths(Key key) throws IOException {
        return export().paths(key);
    }

    private Path exportPath(String location) {
        return dir.resolve(location);
    }

    /** Where the content of {@code key} may be: the exported tree's paths for it, then annexobjects. */
    private List<Path> candidates(Key key) throws IOException {
        List<Path> candidates = new ArrayList<>();
        export().paths(key).forEach(p -> candidates.add(exportPath(p)));
        candidates.add(annexObjectLocation(key));
        return candidates;
    }

    @Override
    public boolean checkPresent(Key key) throws IOException {
        return RemoteFiles.presentAtAny(dir, candidates(key));
    }

    @Override
    public Optional<StoredObject> retrieve(Key key) throws IOException {
        List<Path> candidates = candidates(key);
        if (ContentHasher.forKey(key).isEmpty() && candidates.stream().anyMatch(RemoteFiles::fileExists)) {
            throw new Refused("exported content cannot be verified due to using the " + key.backend()
                    + " backend");
        }
        return RemoteFiles.openFirst(dir, candidates);
    }

    @Override
    public Storing store(Key key, long size) throws IOException {
        RemoteFiles.requireAccessible(dir);
        Export export = export();
        List<Path> targets = new ArrayList<>();
        if (!export.conflict()) {
            for (String location : export.paths(key)) {
                Path path = exportPath(location);
                if (!RemoteFiles.fileExists(path)) {
                    targets.add(path);
                }
            }
        }
        if (targets.isEmpty()) {
            targets.add(annexObjectLocation(key));
        }
        List<Path> made = new ArrayList<>();
        try {
            Path first = targets.get(0);
            RemoteFiles.createDirectoryUnder(dir, first.getParent(), made);
            Path tmp = newTmpFile(first);
            FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
            return new Upload(targets, tmp, channel, made);
        } catch (IOException | RuntimeException e) {
            RemoteFiles.removeMade(made);
            throw e;
        }
    }

    /** A new empty file beside {@code dest}, created with the process's default file mode. */
    private static Path newTmpFile(Path dest) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dest.resolveSibling(RemoteFiles.tmpName(dest.getFileName().toString()));
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    /** An upload into a temporary file beside its first destination; the others get copies on commit. */
    private final class Upload implements Storing {

        private final List<Path> targets;
        private final Path tmp;
        private final FileChannel channel;
        private final OutputStream out;
        private final List<Path> made;
        private final List<Path> pending = new ArrayList<>();
        private boolean committed;
        private boolean closed;

        Upload(List<Path> targets, Path tmp, FileChannel channel, List<Path> made) {
            this.targets = targets;
            this.tmp = tmp;
            this.channel = channel;
            this.out = Channels.newOutputStream(channel);
            this.made = made;
        }

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public void commit() throws IOException {
            channel.close();
            for (Path other : targets.subList(1, targets.size())) {
                RemoteFiles.createDirectoryUnder(dir, other.getParent(), made);
                Path copy = newTmpFile(other);
                pending.add(copy);
                Files.copy(tmp, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            for (int i = 1; i < targets.size(); i++) {
                Files.move(pending.get(i - 1), targets.get(i), StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, targets.get(0), StandardCopyOption.ATOMIC_MOVE);
            committed = true;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            channel.close();
            if (!committed) {
                Files.deleteIfExists(tmp);
                for (Path copy : pending) {
                    Files.deleteIfExists(copy);
                }
                RemoteFiles.removeMade(made);
            }
        }
    }

    @Override
    public boolean remove(Key key) throws IOException {
        Export export = export();
        if (!export.paths(key).isEmpty()) {
            throw new Refused("This key is part of the exported tree, so can only be removed by exporting a tree"
                    + " that does not include it.");
        }
        if (export.conflict()) {
            throw new Refused("Cannot remove content from the remote until the export conflict has been resolved.");
        }
        RemoteFiles.requireAccessible(dir);
        Path object = annexObjectLocation(key);
        Files.deleteIfExists(object);
        RemoteFiles.removeEmptyDirectories(dir, object.getParent());
        return true;
    }

    @Override
    public String toString() {
        return description();
    }
}
