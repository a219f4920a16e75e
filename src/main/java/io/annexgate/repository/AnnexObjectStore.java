package io.annexgate.repository;

import io.annexgate.protocol.Key;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Objects laid out exactly as git-annex lays them out:
 * {@code annex/objects/<hashdir>/<keyfile>/<keyfile>}, looked up in both hash-directory schemes.
 */
public final class AnnexObjectStore implements ObjectStore {

    private final AnnexRepository repository;

    public AnnexObjectStore(AnnexRepository repository) {
        this.repository = repository;
    }

    /** Object paths to try, the one new content is written to first. */
    List<Path> candidates(Key key) {
        String file = key.fileName();
        int levels = repository.objectHashLevels();
        Path lower = repository.objectsDir().resolve(HashDirectories.lower(key, levels)).resolve(file).resolve(file);
        Path mixed = repository.objectsDir().resolve(HashDirectories.mixed(key, levels)).resolve(file).resolve(file);
        return repository.writesLowerHashDirs() ? List.of(lower, mixed) : List.of(mixed, lower);
    }

    @Override
    public Optional<Path> locate(Key key) {
        for (Path candidate : candidates(key)) {
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<ObjectContent> open(Key key) throws IOException {
        for (Path candidate : candidates(key)) {
            try {
                return Optional.of(ObjectContent.open(candidate));
            } catch (NoSuchFileException e) {
                // try the other layout
            }
        }
        return Optional.empty();
    }

    @Override
    public Path objectDirectory(Key key) {
        return locate(key).orElse(candidates(key).get(0)).getParent();
    }

    @Override
    public Path stagingFile(Key key) {
        return repository.tmpDir().resolve(key.fileName());
    }

    @Override
    public long stagedSize(Key key) {
        try {
            return Files.size(stagingFile(key));
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public Path commit(Key key, Path staged) throws IOException {
        Path target = candidates(key).get(0);
        Path dir = target.getParent();
        Fsync.file(staged);
        List<Path> created = createDirectories(dir);
        if (!created.contains(dir)) {
            FilePermissions.thaw(dir);
        }
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staged, target);
        }
        FilePermissions.freeze(target);
        FilePermissions.freeze(dir);
        // the object's name, and the names of the hash directories made for it, reach the disk
        Fsync.directory(dir);
        for (Path made : created) {
            Fsync.directory(made.getParent());
        }
        return target;
    }

    /** Creates {@code dir} and its missing parents, returning those it created, outermost first. */
    private static List<Path> createDirectories(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path d = dir; d != null && !Files.isDirectory(d); d = d.getParent()) {
            missing.addFirst(d);
        }
        List<Path> created = new ArrayList<>();
        for (Path d : missing) {
            try {
                Files.createDirectory(d);
                created.add(d);
            } catch (FileAlreadyExistsException e) {
                // made meanwhile by another put or by git-annex
            }
        }
        return created;
    }

    @Override
    public void delete(Key key) throws IOException {
        for (Path candidate : candidates(key)) {
            Path dir = candidate.getParent();
            if (!Files.isDirectory(dir)) {
                continue;
            }
            FilePermissions.thaw(dir);
            Files.deleteIfExists(candidate);
            for (String suffix : ContentLockFiles.SUFFIXES) {
                Files.deleteIfExists(dir.resolve(candidate.getFileName() + suffix));
            }
            removeEmptyDirectories(dir);
            Path kept = dir;
            while (!Files.isDirectory(kept)) {
                kept = kept.getParent();
            }
            // the removal reaches the disk: the object does not come back after a crash
            Fsync.directory(kept);
        }
    }

    /** Removes {@code dir} and its now-empty parents up to, but not including, {@code objects/}. */
    private void removeEmptyDirectories(Path dir) throws IOException {
        Path objects = repository.objectsDir();
        for (Path d = dir; d != null && d.startsWith(objects) && !d.equals(objects); d = d.getParent()) {
            try {
                Files.deleteIfExists(d);
            } catch (DirectoryNotEmptyException e) {
                return;
            }
        }
    }
}
