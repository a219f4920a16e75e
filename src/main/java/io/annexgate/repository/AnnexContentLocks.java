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
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content locks on git-annex's {@code <key>.lck} files with POSIX advisory (fcntl) locks, which is
 * what git-annex itself takes. Such locks belong to the process, not the thread, so holders inside
 * this JVM are counted here and share one OS lock.
 */
public final class AnnexContentLocks implements ContentLocks {

    private static final Logger log = LoggerFactory.getLogger(AnnexContentLocks.class);
    private static final int STRIPES = 256;

    private final AnnexRepository repository;
    private final ObjectStore store;
    private final Clock wallClock;
    private final Map<Path, Holding> held = new ConcurrentHashMap<>();
    private final Object[] stripes = new Object[STRIPES];

    public AnnexContentLocks(AnnexRepository repository, ObjectStore store, Clock wallClock) {
        this.repository = repository;
        this.store = store;
        this.wallClock = wallClock;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /** The OS lock this process holds on one lock file, and how many of our holders share it. */
    private static final class Holding {
        final FileChannel channel;
        final FileLock lock;
        final boolean exclusive;
        int sharers;

        Holding(FileChannel channel, FileLock lock, boolean exclusive) {
            this.channel = channel;
            this.lock = lock;
            this.exclusive = exclusive;
        }
    }

    private Object stripe(Path lockFile) {
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
        synchronized (stripe(lockFile)) {
            Holding holding = held.get(lockFile);
            if (holding == null) {
                FileChannel channel = openLockFile(files);
                FileLock lock = tryLock(channel, true);
                if (lock == null) {
                    channel.close();
                    return Optional.empty();
                }
                holding = new Holding(channel, lock, false);
                held.put(lockFile, holding);
            } else if (holding.exclusive) {
                return Optional.empty();
            }
            holding.sharers++;
            RetentionTimestamp written;
            try {
                written = writeRetention(files, new RetentionTimestamp(retainUntil));
            } catch (IOException | RuntimeException e) {
                releaseShared(files, null);
                throw e;
            }
            return Optional.of(dropRetention -> releaseShared(files, dropRetention ? written : null));
        }
    }

    private void releaseShared(ContentLockFiles files, RetentionTimestamp dropIfStill) {
        Path lockFile = files.lock();
        synchronized (stripe(lockFile)) {
            Holding holding = held.get(lockFile);
            if (holding == null || holding.exclusive || --holding.sharers > 0) {
                return;
            }
            held.remove(lockFile);
            try {
                holding.lock.release();
                FileLock exclusive = tryLock(holding.channel, false);
                if (exclusive != null) {
                    // no other process relies on the copy: tidy up as git-annex does
                    inDirectory(files.directory(), () -> {
                        if (dropIfStill != null && readRetention(files).filter(dropIfStill::equals).isPresent()) {
                            Files.deleteIfExists(files.retentionTimestamp());
                            Files.deleteIfExists(files.retentionLock());
                        }
                        Files.deleteIfExists(lockFile);
                        return null;
                    });
                    exclusive.release();
                }
            } catch (IOException e) {
                log.warn("could not tidy up lock files of {}: {}", files.keyFile(), e.toString());
            } finally {
                closeQuietly(holding.channel);
            }
        }
    }

    @Override
    public Optional<RemovalLock> lockForRemoval(Key key) throws IOException {
        ContentLockFiles files = filesOf(key);
        if (!Files.isDirectory(files.directory())) {
            return Optional.of(() -> { });
        }
        Path lockFile = files.lock();
        synchronized (stripe(lockFile)) {
            if (held.containsKey(lockFile)) {
                return Optional.empty();
            }
            FileChannel channel = openLockFile(files);
            FileLock lock = tryLock(channel, false);
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            Optional<RetentionTimestamp> retention = readRetention(files);
            if (retention.isPresent() && retention.get().isAfter(wallClock.instant())) {
                lock.release();
                channel.close();
                return Optional.empty();
            }
            if (retention.isPresent()) {
                inDirectory(files.directory(), () -> {
                    Files.deleteIfExists(files.retentionTimestamp());
                    Files.deleteIfExists(files.retentionLock());
                    return null;
                });
            }
            held.put(lockFile, new Holding(channel, lock, true));
            return Optional.of(() -> releaseExclusive(files));
        }
    }

    private void releaseExclusive(ContentLockFiles files) {
        Path lockFile = files.lock();
        synchronized (stripe(lockFile)) {
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
        }
    }

    @Override
    public void releaseAll() {
        for (Map.Entry<Path, Holding> entry : held.entrySet()) {
            synchronized (stripe(entry.getKey())) {
                if (held.remove(entry.getKey(), entry.getValue())) {
                    closeQuietly(entry.getValue().channel);
                }
            }
        }
    }

    private RetentionTimestamp writeRetention(ContentLockFiles files, RetentionTimestamp wanted) throws IOException {
        return inDirectory(files.directory(), () -> {
            try (FileChannel channel = FileChannel.open(files.retentionLock(),
                    StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                Optional<RetentionTimestamp> existing = readRetention(files);
                if (existing.isPresent() && !existing.get().until().isBefore(wanted.until())) {
                    return existing.get();
                }
                return OtherTmp.using(repository, otherTmp -> {
                    Path tmp = Files.createTempFile(otherTmp, files.keyFile(), ".rtm");
                    Fsync.replace(tmp, files.retentionTimestamp(), wanted.render().getBytes(StandardCharsets.UTF_8));
                    return wanted;
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

    private FileChannel openLockFile(ContentLockFiles files) throws IOException {
        return inDirectory(files.directory(), () -> FileChannel.open(files.lock(),
                StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE));
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
