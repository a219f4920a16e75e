package io.annexgate.proxy.special;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexgate.protocol.Key;
import io.annexgate.repository.ByteSink;
import io.annexgate.testing.Keys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layout of git-annex's directory remote (Remote/Directory.hs), as {@link DirectoryRemote} writes and reads it. */
class DirectoryRemoteTest {

    @TempDir
    Path dir;

    private static final byte[] CONTENT = "directory remote content\n".getBytes(StandardCharsets.UTF_8);
    private static final Key KEY = Key.parse(Keys.sha256e(CONTENT, ".txt"));

    private DirectoryRemote remote() {
        return new DirectoryRemote(dir, 0);
    }

    private static byte[] read(SpecialRemote.StoredObject object, long offset) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WritableByteChannel channel = Channels.newChannel(out);
        ByteSink sink = buffer -> {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        };
        object.transferTo(offset, sink);
        return out.toByteArray();
    }

    private void store(DirectoryRemote remote, Key key, byte[] content) throws IOException {
        try (SpecialRemote.Storing storing = remote.store(key, 0)) {
            storing.out().write(content);
            storing.commit();
        }
    }

    @Test
    void aKeyIsStoredAtItsLowerHashDirectoryWithinADirectoryOfItsOwnNameAndWriteProtected() throws Exception {
        DirectoryRemote remote = remote();
        store(remote, KEY, CONTENT);
        // hashdirlower of the key: the first six hex digits of md5(key), three per level
        String md5 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(KEY.serialize().getBytes(StandardCharsets.UTF_8)));
        Path file = dir.resolve(md5.substring(0, 3)).resolve(md5.substring(3, 6)).resolve(KEY.fileName())
                .resolve(KEY.fileName());
        assertThat(remote.locations(KEY).get(0)).isEqualTo(file);
        assertThat(file).hasBinaryContent(CONTENT);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).doesNotContain("w");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).doesNotContain("w");
        // git-annex's tmp directory for the key was renamed into place; tmp itself stays, empty
        assertThat(dir.resolve("tmp")).isEmptyDirectory();
        assertThat(remote.checkPresent(KEY)).isTrue();
        try (SpecialRemote.StoredObject object = remote.retrieve(KEY).orElseThrow()) {
            assertThat(object.size()).isEqualTo(CONTENT.length);
            assertThat(read(object, 0)).isEqualTo(CONTENT);
            assertThat(read(object, 10)).hasSize(CONTENT.length - 10);
        }
    }

    @Test
    void anUploadIsWrittenInGitAnnexsTmpDirectoryAndAnAbortLeavesNothing() throws Exception {
        DirectoryRemote remote = remote();
        try (SpecialRemote.Storing storing = remote.store(KEY, 0)) {
            storing.out().write(CONTENT, 0, 5);
            assertThat(dir.resolve("tmp").resolve(KEY.fileName()).resolve(KEY.fileName())).hasSize(5);
            assertThat(remote.checkPresent(KEY)).isFalse();
            // a second upload of the same key would share the tmp file
            assertThatThrownBy(() -> remote().store(KEY, 0)).isInstanceOf(SpecialRemote.Refused.class);
        }
        assertThat(remote.checkPresent(KEY)).isFalse();
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(Files::isRegularFile)).isEmpty();
        }
        assertThat(dir.resolve("tmp")).isEmptyDirectory();
        store(remote, KEY, CONTENT);
        assertThat(remote.checkPresent(KEY)).isTrue();
    }

    @Test
    void contentAtTheMixedHashLocationOlderVersionsWroteIsFound() throws Exception {
        DirectoryRemote remote = remote();
        Path mixed = remote.locations(KEY).get(1);
        assertThat(mixed.toString()).contains("/" + io.annexgate.repository.HashDirectories.mixed(KEY, 2) + "/");
        Files.createDirectories(mixed.getParent());
        Files.write(mixed, CONTENT);
        assertThat(remote.checkPresent(KEY)).isTrue();
        try (SpecialRemote.StoredObject object = remote.retrieve(KEY).orElseThrow()) {
            assertThat(read(object, 0)).isEqualTo(CONTENT);
        }
    }

    @Test
    void removeDeletesTheKeysDirectoryAndTheHashDirectoriesLeftEmpty() throws Exception {
        DirectoryRemote remote = remote();
        store(remote, KEY, CONTENT);
        Key other = Key.parse(Keys.sha256e("other"));
        store(remote, other, "other".getBytes(StandardCharsets.UTF_8));
        assertThat(remote.remove(KEY)).isTrue();
        assertThat(remote.checkPresent(KEY)).isFalse();
        assertThat(remote.storeDir(KEY).getParent()).doesNotExist();
        assertThat(remote.checkPresent(other)).isTrue();
        assertThat(remote.remove(KEY)).isTrue();
        try (Stream<Path> top = Files.list(dir)) {
            assertThat(top.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("tmp", remote.storeDir(other).getParent().getParent().getFileName()
                            .toString());
        }
    }

    @Test
    void aMissingDirectoryIsUnavailableNotEmpty() {
        DirectoryRemote gone = new DirectoryRemote(dir.resolve("unmounted"), 0);
        assertThatThrownBy(() -> gone.checkPresent(KEY)).isInstanceOf(SpecialRemote.Unavailable.class)
                .hasMessageContaining("is not accessible");
        assertThatThrownBy(() -> gone.retrieve(KEY)).isInstanceOf(SpecialRemote.Unavailable.class);
        assertThatThrownBy(() -> gone.remove(KEY)).isInstanceOf(SpecialRemote.Unavailable.class);
        assertThatThrownBy(() -> gone.store(KEY, 0)).isInstanceOf(SpecialRemote.Unavailable.class);
    }

    @Test
    void aKeyNeedingEscapesUsesGitAnnexsKeyFileName() throws Exception {
        Key url = Key.parse("URL--http://example.com/a&b%c");
        DirectoryRemote remote = remote();
        store(remote, url, CONTENT);
        assertThat(remote.locations(url).get(0).getFileName().toString()).isEqualTo("URL--http&c%%example.com%a&ab&sc");
        assertThat(remote.checkPresent(url)).isTrue();
    }

    @Test
    void theDiskReserveRefusesAKeyThatWouldNotLeaveItFree() {
        DirectoryRemote remote = new DirectoryRemote(dir, Long.MAX_VALUE / 2);
        assertThatThrownBy(() -> remote.store(KEY, 0)).isInstanceOf(SpecialRemote.Refused.class)
                .hasMessage("Not enough free disk space.");
    }
}
