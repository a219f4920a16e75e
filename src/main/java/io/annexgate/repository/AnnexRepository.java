package io.annexgate.repository;

import io.annexgate.protocol.AnnexUuid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;

/**
 * Where a git-annex repository keeps things, and the settings fixed at {@code git annex init}
 * that decide its layout: bare or not, hash-directory tuning, its uuid.
 *
 * @param dir the working tree, or the bare repository itself: where git-annex commands run
 */
public record AnnexRepository(
        Path dir,
        Path gitDir,
        boolean bare,
        AnnexUuid uuid,
        int objectHashLevels,
        boolean objectHashLower,
        int branchHashLevels,
        boolean crippledFileSystem,
        long diskReserve) {

    /** git-annex's default {@code annex.diskreserve}: 100 megabytes. */
    public static final long DEFAULT_DISK_RESERVE = 100_000_000L;

    /**
     * Opens the repository whose working tree or bare directory is {@code dir}.
     *
     * @return empty when {@code dir} is not a git repository initialised for git-annex
     */
    public static Optional<AnnexRepository> open(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        Path gitDir = findGitDir(abs);
        if (gitDir == null) {
            return Optional.empty();
        }
        Config config = readConfig(gitDir.resolve("config"));
        String uuid = config.getString("annex", null, "uuid");
        if (uuid == null || uuid.isBlank()) {
            return Optional.empty();
        }
        boolean bare = config.getBoolean("core", null, "bare", !gitDir.getFileName().toString().equals(".git"));
        return Optional.of(new AnnexRepository(
                abs,
                gitDir,
                bare,
                new AnnexUuid(uuid.trim()),
                config.getBoolean("annex", "tune", "objecthash1", false) ? 1 : 2,
                config.getBoolean("annex", "tune", "objecthashlower", false),
                config.getBoolean("annex", "tune", "branchhash1", false) ? 1 : 2,
                config.getBoolean("annex", null, "crippledfilesystem", false),
                diskReserve(config.getString("annex", null, "diskreserve"))));
    }

    private static long diskReserve(String setting) {
        return setting == null ? DEFAULT_DISK_RESERVE : DataSize.parse(setting).orElse(DEFAULT_DISK_RESERVE);
    }

    private static Path findGitDir(Path dir) {
        Path dotGit = dir.resolve(".git");
        if (Files.isDirectory(dotGit) && Files.isRegularFile(dotGit.resolve("config"))) {
            return dotGit;
        }
        if (Files.isRegularFile(dotGit)) {
            try {
                String link = Files.readString(dotGit).trim();
                if (link.startsWith("gitdir:")) {
                    Path target = dir.resolve(link.substring("gitdir:".length()).trim()).normalize();
                    return Files.isRegularFile(target.resolve("config")) ? target : null;
                }
            } catch (IOException e) {
                return null;
            }
        }
        if (Files.isRegularFile(dir.resolve("config")) && Files.isRegularFile(dir.resolve("HEAD"))
                && Files.isDirectory(dir.resolve("objects"))) {
            return dir;
        }
        return null;
    }

    private static Config readConfig(Path file) {
        FileBasedConfig config = new FileBasedConfig(file.toFile(), FS.DETECTED);
        try {
            config.load();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ConfigInvalidException e) {
            throw new IllegalStateException("unreadable git config " + file + ": " + e.getMessage(), e);
        }
        return config;
    }

    /** {@code .git/annex} in a repository with a work tree, {@code annex} in a bare one. */
    public Path annexDir() {
        return gitDir.resolve("annex");
    }

    public Path objectsDir() {
        return annexDir().resolve("objects");
    }

    public Path tmpDir() {
        return annexDir().resolve("tmp");
    }

    public Path otherTmpDir() {
        return annexDir().resolve("othertmp");
    }

    public Path journalDir() {
        return annexDir().resolve("journal");
    }

    public Path journalLock() {
        return annexDir().resolve("journal.lck");
    }

    /** The git-annex branch's own index, {@code annex/index}. */
    public Path branchIndex() {
        return annexDir().resolve("index");
    }

    /** {@code annex/index.lck}: not a lock, it holds the branch commit the index was last brought to. */
    public Path branchIndexStatus() {
        return annexDir().resolve("index.lck");
    }

    /** {@code annex/mergedrefs}: sibling branch commits git-annex has already merged. */
    public Path mergedRefs() {
        return annexDir().resolve("mergedrefs");
    }

    /** Bare (and crippled) repositories write objects to lower-case hash dirs; others to mixed-case ones. */
    public boolean writesLowerHashDirs() {
        return bare || crippledFileSystem || objectHashLower;
    }
}
