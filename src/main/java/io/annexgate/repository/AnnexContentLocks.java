package io.annexgate.repository;

import io.annexgate.protocol.Key;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content locks on git-annex's {@code <key>.lck} files with POSIX advisory (fcntl) locks, which is
 * what git-annex itself takes. Such locks belong to the process, not the thread, and closing any
 * descriptor of the file drops all of them, so holders inside this JVM are counted here and share
 * one OS lock on one open channel; no other channel on a held lock file is opened. As git-annex's
 * {@code checkSaneLock}, a lock counts only if the file locked is still the one at the lock file's
 * path: one another process deleted meanwhile (after removing the content) locks nothing. Waits
 * (for the retention file's lock, for othertmp) happen on a per-file stripe lock that parks a
 * virtual thread, never in a monitor.
 */
public final class AnnexContentLocks implements ContentLocks {

    private static final Logger log = LoggerFactory.getLogger(AnnexContentLocks.class);
    private static final int STRIPES = 256;

    private final AnnexRepository repository;
    private final ObjectStore store;
    private final Clock wallClock;
    private final Map<Path, Holding> held = new ConcurrentHashMap<>();
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    public AnnexContentLocks(AnnexRepository repository, ObjectStore store, Clock wallClock) {
        this.repository = repository;
        this.store = store;
        this.wallClock = wallClock;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** The OS lock this process holds on one lock file (the file {@code fileKey}), and how many of our holders share it. */
    private static final class Holding {
        final FileChannel channel;
        final FileLock lock;
        final Object fileKey;
        final boolean exclusive;
        int sharers;

        Holding(Locked locked, boolean exclusive) {
            this.channel = locked.channel();
            this.lock = locked.lock();
            this.fileKey = locked.fileKey();
            this.exclusive = exclusive;
        }
    }

    /** A lock file opened and locked, and the file it is (device and inode). */
    private record Locked(FileChannel channel, FileLock lock, Object fileKey) { }

    private ReentrantLock stripe(Path lockFile) {
        return stripes[Math.floorMod(lockFile.hashCode(), STRIPES)];
    }

    private ContentLockFiles filesOf(Key key) {
        return new ContentLockFiles(store.objectDirectory(key), key.fileName());
    }

    @Override
    public Optional<SharedContentLock> lockShared(Key key, Instant retainUntil) throws IOException {
        ContentLockFiles files = filesOf(key);
        if (!Files.isDirectory(files.directory())) {
            return Optional.empty();
        }
        Path lockFile = files.lock();
        ReentrantLock stripe = stripe(lockFile);
        stripe.lock();
        try {
            Holding holding = held.get(lockFile);
            if (holding == null) {
                Optional<Locked> locked = lock(files, true);
                if (locked.isEmpty()) {
                    return Optional.empty();
                }
                holding = new Holding(locked.get(), false);
                held.put(lockFile, holding);
            } else if (holding.exclusive) {
                return Optional.empty();
            }
            holding.sharers++;
            RetentionTimestamp wanted = new RetentionTimestamp(retainUntil);
            try {
                writeRetention(files, wanted);
            } catch (IOException | RuntimeException e) {
                releaseShared(files, null);
                throw e;
            }
            return Optional.of(dropRetention -> releaseShared(files, dropRetention ? wanted : null));
        } finally {
            stripe.unlock();
        }
    }

    /**
     * One holder lets go; the last one drops the OS lock, then (as git-annex) tidies up if it can lock
     * the file exclusively, that is when no other process holds it: the retention time goes only if
     * it is still {@code dropIfStill}, the one that holder asked for, never a later one someone else
     * wrote.
     */
    private void releaseShared(ContentLockFiles files, RetentionTimestamp dropIfStill) {
        Path lockFile = files.lock();
        ReentrantLock stripe = stripe(lockFile);
        stripe.lock();
        try {
            Holding holding = held.get(lockFile);
            if (holding == null || holding.exclusive || --holding.sharers > 0) {
                return;
            }
            held.remove(lockFile);
            try {
                holding.lock.release();
                FileLock exclusive = tryLock(holding.channel, false);
                if (exclusive != null) {
                    if (isStill(lockFile, holding.fileKey)) {
                        // no other process relies on the copy: tidy up as git-annex does
                        inDirectory(files.directory(), () -> {
                            if (dropIfStill != null && readRetention(files).filter(dropIfStill::equals).isPresent()) {
                                Files.deleteIfExists(files.retentionTimestamp());
                                Files.deleteIfExists(files.retentionLock());
                            }
                            Files.deleteIfExists(lockFile);
                            return null;
                        });
                    }
                    exclusive.release();
                }
            } catch (IOException e) {
                log.warn("could not tidy up lock files of {}: {}", files.keyFile(), e.toString());
            } finally {
                closeQuietly(holding.channel);
            }
        } finally {
            stripe.unlock();
        }
    }

    @Override
    public Optional<RemovalLock> lockForRemoval(Key key) throws IOException {
        ContentLockFiles files = filesOf(key);
        RemovalLock nothingToLock = () -> { };
        if (!Files.isDirectory(files.directory())) {
            return Optional.of(nothingToLock);
        }
        Path lockFile = files.lock();
        ReentrantLock stripe = stripe(lockFile);
        stripe.lock();
        try {
            if (held.containsKey(lockFile)) {
                return Optional.empty();
            }
            Optional<Locked> locked = lock(files, false);
            if (locked.isEmpty()) {
                // the directory gone meanwhile means the content was removed by someone else
                return Files.isDirectory(files.directory()) ? Optional.empty() : Optional.of(nothingToLock);
            }
            Optional<RetentionTimestamp> retention = readRetention(files);
            if (retention.isPresent() && retention.get().isAfter(wallClock.instant())) {
                locked.get().lock().release();
                locked.get().channel().close();
                return Optional.empty();
            }
            if (retention.isPresent()) {
                inDirectory(files.directory(), () -> {
                    Files.deleteIfExists(files.retentionTimestamp());
                    Files.deleteIfExists(files.retentionLock());
                    return null;
                });
            }
            held.put(lockFile, new Holding(locked.get(), true));
            return Optional.of(() -> releaseExclusive(files));
        } finally {
            stripe.unlock();
        }
    }

    private void releaseExclusive(ContentLockFiles files) {
        Path lockFile = files.lock();
        ReentrantLock stripe = stripe(lockFile);
        stripe.lock();
        try {
            Holding holding = held.remove(lockFile);
            if (holding == null) {
                return;
            }
            try {
                if (Files.isDirectory(files.directory())) {
                    inDirectory(files.directory(), () -> Files.deleteIfExists(lockFile));
                }
                holding.lock.release();
            } catch (IOException e) {
                log.warn("could not release removal lock of {}: {}", files.keyFile(), e.toString());
            } finally {
                closeQuietly(holding.channel);
            }
        } finally {
            stripe.unlock();
        }
    }

    @Override
    public void releaseAll() {
        for (Map.Entry<Path, Holding> entry : held.entrySet()) {
            ReentrantLock stripe = stripe(entry.getKey());
            stripe.lock();
            try {
                if (held.remove(entry.getKey(), entry.getValue())) {
                    closeQuietly(entry.getValue().channel);
                }
            } finally {
                stripe.unlock();
            }
        }
    }

    /** Writes {@code wanted} as the retention time, unless the file holds a later one already (as git-annex). */
    private void writeRetention(ContentLockFiles files, RetentionTimestamp wanted) throws IOException {
        inDirectory(files.directory(), () -> {
            try (FileChannel channel = FileChannel.open(files.retentionLock(),
                    StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                Optional<RetentionTimestamp> existing = readRetention(files);
                if (existing.isPresent() && !existing.get().until().isBefore(wanted.until())) {
                    return null;
                }
                return OtherTmp.using(repository, otherTmp -> {
                    Path tmp = Files.createTempFile(otherTmp, files.keyFile(), ".rtm");
                    Fsync.replace(tmp, files.retentionTimestamp(), wanted.render().getBytes(StandardCharsets.UTF_8));
                    return null;
                });
            }
        });
    }

    private static Optional<RetentionTimestamp> readRetention(ContentLockFiles files) throws IOException {
        try {
            return RetentionTimestamp.parse(Files.readString(files.retentionTimestamp(), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Opens the lock file (made if missing) and tries to lock it without waiting. Empty when someone
     * else holds it the other way, when the object's directory went away (its content was removed),
     * or when the file was deleted or replaced while being locked (then it locks nothing).
     */
    private Optional<Locked> lock(ContentLockFiles files, boolean shared) throws IOException {
        FileChannel channel;
        try {
            channel = inDirectory(files.directory(), () -> FileChannel.open(files.lock(),
                    StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            Object opened = fileKey(files.lock());
            FileLock lock = tryLock(channel, shared);
            if (lock != null && isStill(files.lock(), opened)) {
                return Optional.of(new Locked(channel, lock, opened));
            }
        } catch (NoSuchFileException e) {
            // deleted as soon as it was opened: it locks nothing
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
        closeQuietly(channel);
        return Optional.empty();
    }

    /** The file at {@code path} (device and inode); {@link NoSuchFileException} when there is none. */
    private static Object fileKey(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }

    /** Whether {@code path} is still the file {@code fileKey} (not deleted, not replaced). */
    private static boolean isStill(Path path, Object fileKey) throws IOException {
        try {
            return fileKey.equals(fileKey(path));
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static <T> T inDirectory(Path dir, FilePermissions.IoAction<T> action) throws IOException {
        return FilePermissions.inThawedDirectory(dir, action);
    }

    private static FileLock tryLock(FileChannel channel, boolean shared) throws IOException {
        try {
            return channel.tryLock(0, Long.MAX_VALUE, shared);
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing a lock file failed", e);
        }
    }
}
