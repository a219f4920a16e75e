package io.annexgate.proxy.special;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import io.annexgate.testing.Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An exported tree read with JGit, and where {@link DirectoryExportRemote} puts, finds and removes keys by it. */
class DirectoryExportRemoteTest {

    private static final AnnexUuid REMOTE = new AnnexUuid("6be8fe95-66d6-4b14-bffd-1a929c7115cd");
    private static final String HERE = "c3a70276-5d57-44aa-9e36-22af693d7ba5";
    private static final byte[] ONE = "one\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TWO = "two\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] THREE = "three\n".getBytes(StandardCharsets.UTF_8);
    private static final Key K1 = Key.parse(Keys.sha256e(ONE, ".bin"));
    private static final Key K2 = Key.parse(Keys.sha256e(TWO, ".bin"));
    private static final Key K3 = Key.parse(Keys.sha256e(THREE, ".bin"));

    @TempDir
    Path tmp;

    Path gitDir;
    Path dir;
    String tree;
    String otherTree;
    String exportLog;

    @BeforeEach
    void makeTrees() throws IOException {
        gitDir = tmp.resolve("served.git");
        dir = Files.createDirectories(tmp.resolve("export"));
        try (Repository git = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).build()) {
            git.create(true);
            try (ObjectInserter in = git.newObjectInserter()) {
                TreeFormatter sub = new TreeFormatter();
                sub.append("c.bin", FileMode.SYMLINK, blob(in, "../../.git/annex/objects/a/b/" + K2.fileName()
                        + "/" + K2.fileName()));
                ObjectId subTree = in.insert(sub);
                TreeFormatter top = new TreeFormatter();
                top.append("a.bin", FileMode.SYMLINK, blob(in, ".git/annex/objects/x/y/" + K1.fileName() + "/"
                        + K1.fileName()));
                top.append("b.bin", FileMode.REGULAR_FILE, blob(in, "/annex/objects/" + K1.fileName() + "\n"));
                top.append("readme.txt", FileMode.REGULAR_FILE, blob(in, "not annexed\n"));
                top.append("sub", FileMode.TREE, subTree);
                tree = in.insert(top).name();
                TreeFormatter other = new TreeFormatter();
                other.append("k2.bin", FileMode.SYMLINK, blob(in, ".git/annex/objects/x/y/" + K2.fileName() + "/"
                        + K2.fileName()));
                otherTree = in.insert(other).name();
                in.flush();
            }
        }
        exportLog = "1795631819s " + HERE + ":" + REMOTE.value() + " " + tree + "\n";
    }

    private static ObjectId blob(ObjectInserter in, String content) throws IOException {
        return in.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8));
    }

    private DirectoryExportRemote remote(ExportedTrees trees) {
        return new DirectoryExportRemote(dir, REMOTE, gitDir, path -> path.equals("export.log")
                ? Optional.of(exportLog) : Optional.empty(), trees, 2);
    }

    private DirectoryExportRemote remote() {
        return remote(new ExportedTrees(ExportedTrees.DEFAULT_MAX_BYTES));
    }

    private static void store(SpecialRemote remote, Key key, byte[] content) throws IOException {
        try (SpecialRemote.Storing storing = remote.store(key, 0)) {
            storing.out().write(content);
            storing.commit();
        }
    }

    private long filesIn(Path d) throws IOException {
        try (Stream<Path> all = Files.walk(d)) {
            return all.filter(p -> !p.equals(d)).count();
        }
    }

    @Test
    void theTreeMapsEachAnnexedKeyToItsPathsFromSymlinksAndPointerFiles() throws IOException {
        ExportedTrees trees = new ExportedTrees(ExportedTrees.DEFAULT_MAX_BYTES);
        ExportTree read = trees.tree(gitDir, tree);
        assertThat(read.paths(K1)).containsExactly("a.bin", "b.bin");
        assertThat(read.paths(K2)).containsExactly("sub/c.bin");
        assertThat(read.paths(K3)).isEmpty();
        assertThat(read.keys()).isEqualTo(2);
        assertThat(trees.tree(gitDir, tree)).isSameAs(read);
        assertThat(trees.cached()).isEqualTo(1);
    }

    @Test
    void theCacheOfTreesIsBoundedByTheirSize() throws IOException {
        ExportedTrees tiny = new ExportedTrees(1);
        assertThat(tiny.tree(gitDir, tree).paths(K1)).containsExactly("a.bin", "b.bin");
        assertThat(tiny.cached()).isZero();
    }

    @Test
    void aPutGoesToEveryPathOfTheTreeNamingTheKey() throws IOException {
        DirectoryExportRemote remote = remote();
        assertThat(remote.checkPresent(K1)).isFalse();
        store(remote, K1, ONE);
        assertThat(dir.resolve("a.bin")).hasBinaryContent(ONE);
        assertThat(dir.resolve("b.bin")).hasBinaryContent(ONE);
        assertThat(remote.annexObjectLocation(K1)).doesNotExist();
        assertThat(filesIn(dir)).isEqualTo(2);
        assertThat(remote.checkPresent(K1)).isTrue();
        assertThatThrownBy(() -> remote.remove(K1)).isInstanceOf(SpecialRemote.Refused.class)
                .hasMessageContaining("part of the exported tree");
        assertThat(dir.resolve("a.bin")).exists();
    }

    @Test
    void aPutOfAKeyNoPathNamesGoesToAnnexobjectsAndRemoveTakesItAndItsDirectories() throws IOException {
        DirectoryExportRemote remote = remote();
        store(remote, K3, THREE);
        Path object = remote.annexObjectLocation(K3);
        assertThat(object.toString()).startsWith(dir.resolve(".git/annex/objects").toString());
        assertThat(object).hasBinaryContent(THREE);
        assertThat(object.getParent().getFileName().toString()).isEqualTo(K3.fileName());
        assertThat(remote.checkPresent(K3)).isTrue();
        assertThat(remote.remove(K3)).isTrue();
        assertThat(object).doesNotExist();
        assertThat(dir.resolve(".git")).doesNotExist();
        assertThat(remote.checkPresent(K3)).isFalse();
    }

    @Test
    void anAbortedPutLeavesNeitherFileNorDirectory() throws IOException {
        DirectoryExportRemote remote = remote();
        try (SpecialRemote.Storing storing = remote.store(K2, 0)) {
            storing.out().write(TWO, 0, 2);
            assertThat(remote.checkPresent(K2)).isFalse();
        }
        assertThat(filesIn(dir)).isZero();
        try (SpecialRemote.Storing storing = remote.store(K3, 0)) {
            storing.out().write(THREE, 0, 2);
        }
        assertThat(filesIn(dir)).isZero();
    }

    @Test
    void getLooksAtTheTreesPathsThenAtAnnexobjects() throws IOException {
        DirectoryExportRemote remote = remote();
        Files.write(dir.resolve("b.bin"), ONE);
        assertThat(remote.checkPresent(K1)).isTrue();
        try (SpecialRemote.StoredObject object = remote.retrieve(K1).orElseThrow()) {
            assertThat(object.size()).isEqualTo(ONE.length);
        }
        Files.createDirectories(remote.annexObjectLocation(K3).getParent());
        Files.write(remote.annexObjectLocation(K3), THREE);
        try (SpecialRemote.StoredObject object = remote.retrieve(K3).orElseThrow()) {
            assertThat(object.size()).isEqualTo(THREE.length);
        }
        assertThat(remote.retrieve(K2)).isEmpty();
        Key worm = Key.parse("WORM-s4-m1700000000--w.bin");
        Files.createDirectories(remote.annexObjectLocation(worm).getParent());
        Files.write(remote.annexObjectLocation(worm), ONE);
        assertThatThrownBy(() -> remote.retrieve(worm)).isInstanceOf(SpecialRemote.Refused.class)
                .hasMessageContaining("cannot be verified");
    }

    @Test
    void onAnExportConflictPutsGoToAnnexobjectsAndRemovesAreRefused() throws IOException {
        exportLog = exportLog + "1795631820s 0badc0de-0000-4000-8000-000000000001:" + REMOTE.value() + " "
                + otherTree + "\n";
        DirectoryExportRemote remote = remote();
        assertThat(remote.exportPaths(K2)).containsExactlyInAnyOrder("sub/c.bin", "k2.bin");
        store(remote, K2, TWO);
        assertThat(remote.annexObjectLocation(K2)).hasBinaryContent(TWO);
        assertThat(dir.resolve("k2.bin")).doesNotExist();
        assertThat(remote.checkPresent(K2)).isTrue();
        assertThatThrownBy(() -> remote.remove(K3)).isInstanceOf(SpecialRemote.Refused.class)
                .hasMessageContaining("conflict");
    }

    @Test
    void noExportYetMeansEveryPutGoesToAnnexobjects() throws IOException {
        exportLog = "";
        DirectoryExportRemote remote = remote();
        store(remote, K1, ONE);
        assertThat(remote.annexObjectLocation(K1)).hasBinaryContent(ONE);
        assertThat(dir.resolve("a.bin")).doesNotExist();
    }

    @Test
    void anExportedTreeThatCannotBeReadMakesTheRemoteUnavailableNotEmpty() {
        exportLog = "1s " + HERE + ":" + REMOTE.value() + " 0123456789012345678901234567890123456789\n";
        DirectoryExportRemote remote = remote();
        assertThatThrownBy(() -> remote.checkPresent(K1)).isInstanceOf(SpecialRemote.Unavailable.class)
                .hasMessageContaining("cannot read the tree exported to it");
        assertThatThrownBy(() -> remote.store(K1, 0)).isInstanceOf(SpecialRemote.Unavailable.class);
        assertThat(dir).isEmptyDirectory();
    }
}
