package io.annexgate.repository;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The location log written the way git-annex writes it: the whole new file goes to
 * {@code annex/journal/} (via {@code annex/othertmp/} and a rename) under {@code journal.lck},
 * where every git-annex command reads it before the branch.
 */
public final class JournalLocationLog implements LocationLog {

    private final AnnexRepository repository;
    private final GitAnnexBranch branch;
    private final JournalLock journalLock;
    private final Clock wallClock;

    public JournalLocationLog(AnnexRepository repository, GitAnnexBranch branch, JournalLock journalLock,
            Clock wallClock) {
        this.repository = repository;
        this.branch = branch;
        this.journalLock = journalLock;
        this.wallClock = wallClock;
    }

    @Override
    public void record(Key key, AnnexUuid uuid, boolean present) throws IOException {
        String branchPath = LocationLogContent.branchPath(key, repository.branchHashLevels());
        Path journalFile = journalFileOf(branchPath);
        journalLock.holding(() -> {
            LocationLogContent current = LocationLogContent.parse(read(journalFile, branchPath));
            Optional<LocationLogContent> updated = current.withStatus(uuid.value(), present ? '1' : '0', wallClock.instant());
            if (updated.isPresent()) {
                write(journalFile, updated.get().render());
            }
            return null;
        });
    }

    @Override
    public boolean says(Key key, AnnexUuid uuid) throws IOException {
        String branchPath = LocationLogContent.branchPath(key, repository.branchHashLevels());
        return LocationLogContent.parse(read(journalFileOf(branchPath), branchPath)).isPresent(uuid.value());
    }

    private Path journalFileOf(String branchPath) {
        return repository.journalDir().resolve(LocationLogContent.journalFileName(branchPath));
    }

    private String read(Path journalFile, String branchPath) throws IOException {
        try {
            return Files.readString(journalFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return branch.read(branchPath).orElse("");
        }
    }

    private void write(Path journalFile, String content) throws IOException {
        Path journal = journalFile.getParent();
        if (!Files.isDirectory(journal)) {
            Files.createDirectories(journal);
            Fsync.directory(journal.getParent());
        }
        OtherTmp.using(repository, otherTmp -> {
            Fsync.replace(otherTmp.resolve(journalFile.getFileName()), journalFile, content.getBytes(StandardCharsets.UTF_8));
            return null;
        });
    }
}
