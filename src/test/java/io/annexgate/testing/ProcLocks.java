package io.annexgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's table of file locks ({@code /proc/locks}): who holds or waits for a POSIX lock on a
 * file, to watch another process (or this one) take, wait for and let go of git-annex's locks.
 */
public final class ProcLocks {

    /** One lock or waiter: {@code pid} holds (or, when {@code waiting}, waits for) a read or write lock. */
    public record Entry(long pid, boolean write, boolean waiting) { }

    private static final Pattern LINE = Pattern.compile(
            "^\\d+: (-> )?(?:POSIX|OFDLCK) +ADVISORY +(READ|WRITE) +(\\d+) +[0-9a-f]+:[0-9a-f]+:(\\d+) .*$");

    private ProcLocks() {
    }

    /** The POSIX locks and waiters on {@code file} now; empty when it does not exist. */
    public static List<Entry> on(Path file) {
        long inode;
        try {
            inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return Files.readAllLines(Path.of("/proc/locks")).stream()
                    .map(LINE::matcher)
                    .filter(Matcher::matches)
                    .filter(m -> Long.parseLong(m.group(4)) == inode)
                    .map(m -> new Entry(Long.parseLong(m.group(3)), m.group(2).equals("WRITE"), m.group(1) != null))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code pid} is waiting for a lock on {@code file}. */
    public static boolean waiting(Path file, long pid) {
        return on(file).stream().anyMatch(e -> e.waiting() && e.pid() == pid);
    }

    /** Whether {@code pid} holds a lock on {@code file} (shared or exclusive). */
    public static boolean holding(Path file, long pid) {
        return on(file).stream().anyMatch(e -> !e.waiting() && e.pid() == pid);
    }
}
