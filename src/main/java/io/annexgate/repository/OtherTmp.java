package io.annexgate.repository;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * git-annex's {@code annex/othertmp/}: whoever uses it holds a shared lock on
 * {@code annex/othertmp.lck}, and git-annex empties the directory whenever it can take that lock
 * exclusively. Our threads share one such lock per repository, held while any of them is inside.
 */
public final class OtherTmp {

    /** Something done with files in othertmp. */
    @FunctionalInterface
    public interface Use<T> {
        T in(Path otherTmpDir) throws IOException;
    }

    private static final Map<Path, Held> HELD = new HashMap<>();

    private OtherTmp() {
    }

    /** Runs {@code use} with othertmp created and git-annex kept from emptying it meanwhile. */
    public static <T> T using(AnnexRepository repository, Use<T> use) throws IOException {
        Path lockFile = repository.annexDir().resolve("othertmp.lck").toAbsolutePath();
        acquire(lockFile);
        try {
            Path dir = repository.otherTmpDir();
            Files.createDirectories(dir);
            return use.in(dir);
        } finally {
            release(lockFile);
        }
    }

    /** One shared fcntl lock and how many of our threads rely on it. */
    private static final class Held {
        private final FileChannel channel;
        private final FileLock lock;
        private int users;

        Held(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }
    }

    private static void acquire(Path lockFile) throws IOException {
        synchronized (HELD) {
            Held held = HELD.get(lockFile);
            if (held == null) {
                Files.createDirectories(lockFile.getParent());
                FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                try {
                    held = new Held(channel, channel.lock(0, Long.MAX_VALUE, true));
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                HELD.put(lockFile, held);
            }
            held.users++;
        }
    }

    private static void release(Path lockFile) throws IOException {
        synchronized (HELD) {
            Held held = HELD.get(lockFile);
            if (held != null && --held.users == 0) {
                HELD.remove(lockFile);
                try {
                    held.lock.release();
                } finally {
                    held.channel.close();
                }
            }
        }
    }
}
