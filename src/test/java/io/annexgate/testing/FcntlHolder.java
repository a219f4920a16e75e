package io.annexgate.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Another process holding a POSIX (fcntl) lock on a file, the kind git-annex takes on its lock
 * files: a small python3 program that tries the lock once without waiting, says whether it got it,
 * and keeps it until its stdin closes.
 */
public final class FcntlHolder implements AutoCloseable {

    private final Process process;
    private final boolean holds;

    private FcntlHolder(Process process, boolean holds) {
        this.process = process;
        this.holds = holds;
    }

    /** Tries an exclusive lock on {@code file} (created if missing), as git-annex's cleanup and removal take. */
    public static FcntlHolder exclusive(Path file) {
        return start(file, "LOCK_EX");
    }

    /** Tries a shared lock on {@code file}, as git-annex takes to keep content. */
    public static FcntlHolder shared(Path file) {
        return start(file, "LOCK_SH");
    }

    private static FcntlHolder start(Path file, String mode) {
        try {
            Process p = new ProcessBuilder("python3", "-c", """
                    import fcntl, sys
                    f = open(sys.argv[1], 'a+')
                    try:
                        fcntl.lockf(f, fcntl.%s | fcntl.LOCK_NB)
                    except OSError:
                        print('busy', flush=True)
                        sys.exit(0)
                    print('locked', flush=True)
                    sys.stdin.read()
                    """.formatted(mode), file.toString()).redirectErrorStream(true).start();
            String said = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (!"locked".equals(said) && !"busy".equals(said)) {
                p.destroyForcibly();
                throw new IllegalStateException("lock helper said: " + said);
            }
            return new FcntlHolder(p, "locked".equals(said));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the helper got the lock (else it has exited). */
    public boolean holds() {
        return holds;
    }

    public long pid() {
        return process.pid();
    }

    /** Lets go of the lock: the helper exits. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
