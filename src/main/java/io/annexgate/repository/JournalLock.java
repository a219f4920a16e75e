package io.annexgate.repository;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * git-annex's journal lock, {@code annex/journal.lck}: held exclusively around every change to the
 * journal and around staging and committing it, so it also serialises us with git-annex's own
 * processes. One instance per repository in this process (fcntl locks belong to the process).
 */
public final class JournalLock {

    /** Work done while the lock is held. */
    @FunctionalInterface
    public interface Locked<T> {
        T run() throws IOException;
    }

    private final AnnexRepository repository;
    private final ReentrantLock inProcess = new ReentrantLock();

    public JournalLock(AnnexRepository repository) {
        this.repository = repository;
    }

    /** Runs {@code work} holding the lock: threads of this JVM take turns first, then the fcntl lock. */
    public <T> T holding(Locked<T> work) throws IOException {
        inProcess.lock();
        try (FileChannel channel = FileChannel.open(repository.journalLock(),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            return work.run();
        } finally {
            inProcess.unlock();
        }
    }
}
