package io.annexgate.proxy.special;

import io.annexgate.protocol.Key;
import io.annexgate.repository.HashDirectories;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * git-annex's {@code directory} special remote without encryption or chunking, on disk exactly as
 * git-annex lays it out (Remote/Directory.hs):
 * <ul>
 * <li>a key is read from {@code <dir>/<hashdirlower>/<keyfile>/<keyfile>}, else from the
 *     {@code <hashdirmixed>} location older versions wrote ({@code keyPaths}, two hash levels);
 * <li>it is written to {@code <dir>/tmp/<keyfile>/<keyfile>}, and on commit the directory
 *     {@code <dir>/tmp/<keyfile>} is renamed to {@code <dir>/<hashdirlower>/<keyfile>} (anything
 *     already there is removed first), then the file and that directory lose their write bits
 *     ({@code finalizeStoreGeneric});
 * <li>remove deletes {@code <dir>/<hashdirlower>/<keyfile>} and then the hash directories that
 *     became empty ({@code removeDirGeneric}).
 * </ul>
 * When nothing is found and {@code <dir>} itself is missing, the remote is unavailable rather than
 * without the key. Two uploads of one key at once would share git-annex's tmp location, so the
 * second is refused while the first runs.
 */
public final class DirectoryRemote implements SpecialRemote {

    /** git-annex's default {@code HashLevels}, which the directory remote always uses. */
    static final int HASH_LEVELS = 2;

    /** Tmp locations being written by this server, across the remote instances made for each re-read. */
    private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final long diskReserve;

    /**
     * @param dir the remote's directory ({@code remote.<name>.annex-directory})
     * @param diskReserve bytes to leave free on the remote's file system ({@code annex.diskreserve})
     */
    public DirectoryRemote(Path dir, long diskReserve) {
        this.dir = dir.toAbsolutePath().normalize();
        this.diskReserve = diskReserve;
    }

    public Path directory() {
        return dir;
    }

    @Override
    public String description() {
        return "directory " + dir;
    }

    /** Where git-annex looks for {@code key}, in the order it looks. */
    public List<Path> locations(Key key) {
        String file = key.fileName();
        return List.of(
                dir.resolve(HashDirectories.lower(key, HASH_LEVELS)).resolve(file).resolve(file),
                dir.resolve(HashDirectories.mixed(key, HASH_LEVELS)).resolve(file).resolve(file));
    }

    /** The directory git-annex stores {@code key} in and removes ({@code storeDir}). */
    public Path storeDir(Key key) {
        return dir.resolve(HashDirectories.lower(key, HASH_LEVELS)).resolve(key.fileName());
    }

    /** git-annex's tmp directory for an upload of {@code key}. */
    public Path tmpDir(Key key) {
        return dir.resolve("tmp").resolve(key.fileName());
    }

    @Override
    public boolean checkPresent(Key key) throws IOException {
        return RemoteFiles.presentAtAny(dir, locations(key));
    }

    @Override
    public Optional<StoredObject> retrieve(Key key) throws IOException {
        return RemoteFiles.openFirst(dir, locations(key));
    }

    @Override
    public Storing store(Key key, long size) throws IOException {
        RemoteFiles.requireAccessible(dir);
        if (key.size().isPresent()) {
            long usable = Files.getFileStore(dir).getUsableSpace();
            if (usable - key.size().getAsLong() < diskReserve) {
                throw new Refused("Not enough free disk space.");
            }
        }
        Path tmpDir = tmpDir(key);
        if (!WRITING.add(tmpDir)) {
            throw new Refused("an upload of this key to " + dir + " is under way");
        }
        try {
            List<Path> made = new ArrayList<>();
            RemoteFiles.createDirectoryUnder(dir, tmpDir, made);
            Path tmpFile = tmpDir.resolve(key.fileName());
            FileChannel channel = FileChannel.open(tmpFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            return new Upload(key, tmpDir, tmpFile, channel);
        } catch (IOException | RuntimeException e) {
            WRITING.remove(tmpDir);
            throw e;
        }
    }

    /** An upload into git-annex's tmp location, moved into place on commit. */
    private final class Upload implements Storing {

        private final Key key;
        private final Path tmpDir;
        private final Path tmpFile;
        private final FileChannel channel;
        private final OutputStream out;
        private boolean committed;
        private boolean closed;

        Upload(Key key, Path tmpDir, Path tmpFile, FileChannel channel) {
            this.key = key;
            this.tmpDir = tmpDir;
            this.tmpFile = tmpFile;
            this.channel = channel;
            this.out = Channels.newOutputStream(channel);
        }

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public void commit() throws IOException {
            channel.close();
            Path dest = storeDir(key);
            if (Files.exists(dest)) {
                RemoteFiles.deleteRecursively(dest);
            }
            RemoteFiles.createDirectoryUnder(dir, dest.getParent(), new ArrayList<>());
            Files.move(tmpDir, dest, StandardCopyOption.ATOMIC_MOVE);
            committed = true;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dest)) {
                for (Path file : files) {
                    RemoteFiles.preventWrite(file);
                }
            }
            RemoteFiles.preventWrite(dest);
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                channel.close();
                if (!committed) {
                    Files.deleteIfExists(tmpFile);
                    Files.deleteIfExists(tmpDir);
                }
            } finally {
                WRITING.remove(tmpDir);
            }
        }
    }

    @Override
    public boolean remove(Key key) throws IOException {
        Path storeDir = storeDir(key);
        if (Files.exists(storeDir)) {
            RemoteFiles.deleteRecursively(storeDir);
        } else {
            RemoteFiles.requireAccessible(dir);
        }
        RemoteFiles.removeEmptyDirectories(dir, storeDir.getParent());
        return true;
    }

    @Override
    public String toString() {
        return description();
    }
}
