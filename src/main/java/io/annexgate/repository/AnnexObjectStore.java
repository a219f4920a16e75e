package io.annexgate.repository;

import io.annexgate.protocol.Key;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            FilePermissions.thaw(dir);
        }
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staged, target);
        }
        FilePermissions.freeze(target);
        FilePermissions.freeze(dir);
        return target;
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
