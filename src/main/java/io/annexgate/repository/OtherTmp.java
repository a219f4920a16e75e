package io.annexgate.repository;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * git-annex's {@code annex/othertmp/}: whoever uses it holds a shared lock on
 * {@code annex/othertmp.lck}, and git-annex empties the directory whenever it can take that lock
 * exclusively. Our threads share one such lock per repository, held while any of them is inside.
 * While git-annex holds the lock exclusively, the first of our threads waits for it on that
 * repository's own gate: users of other repositories go on, and a waiting virtual thread parks
 * instead of holding a monitor.
 */
public final class OtherTmp {

    /** Something done with files in othertmp. */
    @FunctionalInterface
    public interface Use<T> {
        T in(Path otherTmpDir) throws IOException;
    }

    /** One gate per lock file, there while some thread uses or waits for it. */
    private static final ConcurrentHashMap<Path, Gate> GATES = new ConcurrentHashMap<>();

    private OtherTmp() {
    }

    /** Runs {@code use} with othertmp created and git-annex kept from emptying it meanwhile. */
    public static <T> T using(AnnexRepository repository, Use<T> use) throws IOException {
        Path lockFile = repository.annexDir().resolve("othertmp.lck").toAbsolutePath();
        Gate gate = enter(lockFile);
        try {
            Path dir = repository.otherTmpDir();
            Files.createDirectories(dir);
            return use.in(dir);
        } finally {
            leave(lockFile, gate);
        }
    }

    /**
     * The shared fcntl lock on one lock file and how many of our threads rely on it; {@code lock}
     * guards the rest, {@code refs} (changed only inside {@link ConcurrentHashMap#compute}) counts
     * the threads that hold or want the gate, so it leaves the map with the last of them.
     */
    private static final class Gate {
        private final ReentrantLock lock = new ReentrantLock();
        private int refs;
        private FileChannel channel;
        private FileLock fileLock;
        private int users;
    }

    private static Gate enter(Path lockFile) throws IOException {
        Gate gate = GATES.compute(lockFile, (path, existing) -> {
            Gate g = existing == null ? new Gate() : existing;
            g.refs++;
            return g;
        });
        gate.lock.lock();
        try {
            if (gate.users == 0) {
                Files.createDirectories(lockFile.getParent());
                FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                try {
                    gate.fileLock = channel.lock(0, Long.MAX_VALUE, true);
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                gate.channel = channel;
            }
            gate.users++;
            return gate;
        } catch (IOException | RuntimeException e) {
            unref(lockFile);
            throw e;
        } finally {
            gate.lock.unlock();
        }
    }

    private static void leave(Path lockFile, Gate gate) throws IOException {
        gate.lock.lock();
        try {
            if (--gate.users == 0) {
                FileChannel channel = gate.channel;
                gate.channel = null;
                try {
                    gate.fileLock.release();
                } finally {
                    gate.fileLock = null;
                    channel.close();
                }
            }
        } finally {
            gate.lock.unlock();
            unref(lockFile);
        }
    }

    private static void unref(Path lockFile) {
        GATES.computeIfPresent(lockFile, (path, g) -> --g.refs == 0 ? null : g);
    }
}
