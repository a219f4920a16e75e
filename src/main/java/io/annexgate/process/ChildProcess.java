package io.annexgate.process;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A started child process whose stdin and stdout belong to the caller; its stderr is drained on a
 * virtual thread and its tail kept. Closing it closes stdin, gives the child a grace period to
 * exit by itself and then kills the whole process tree; closing never blocks.
 */
public final class ChildProcess implements AutoCloseable {

    /** How long a closed child may take to exit by itself before its tree is killed. */
    public static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private static final Executor VIRTUAL = task -> Thread.ofVirtual().name("child-reaper").start(task);

    private final ChildCommand command;
    private final Process process;
    private final BoundedSink stderr;
    private final Thread stderrDrain;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ChildProcess(ChildCommand command, Process process, int stderrTailBytes) {
        this.command = command;
        this.process = process;
        this.stderr = BoundedSink.last(stderrTailBytes);
        this.stderrDrain = stderr.drain(process.getErrorStream(), "child-stderr-" + process.pid());
    }

    /** Starts {@code command}, keeping the last {@code stderrTailBytes} of its stderr. */
    public static ChildProcess start(ChildCommand command, int stderrTailBytes) throws IOException {
        return new ChildProcess(command, command.builder().start(), stderrTailBytes);
    }

    public ChildCommand command() {
        return command;
    }

    public long pid() {
        return process.pid();
    }

    /** The child's stdin; closing it tells most children to finish. */
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    /** The child's stdout. */
    public InputStream stdout() {
        return process.getInputStream();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code timeout} for the child to exit; whether it did. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The exit status; only once the child exited. */
    public int exitStatus() {
        return process.exitValue();
    }

    /** The tail of stderr read so far. */
    public CapturedOutput stderr() {
        return stderr.captured();
    }

    /** Waits up to {@code timeout} for stderr to reach its end (the child and whoever shares its stderr gone). */
    boolean awaitStderrEnd(Duration timeout) throws InterruptedException {
        return stderrDrain.join(timeout);
    }

    /**
     * The tail of stderr once the child exited, for a diagnosis: waits up to {@code exitWithin} for
     * the exit (a child that broke off is usually on its way out, its reason on stderr) and then a
     * moment for the last of stderr. Gives what there is if the child lingers or the wait is interrupted.
     */
    public CapturedOutput stderrOnceExited(Duration exitWithin) {
        try {
            if (awaitExit(exitWithin)) {
                awaitStderrEnd(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return stderr();
    }

    /** Kills the child and all it started, now; waits a little for them to be gone. */
    public void kill() {
        ProcessTree.kill(process);
    }

    /** Closes stdin and stdout; a child still running {@link #CLOSE_GRACE} later is killed with its tree. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(process.getOutputStream());
        if (process.isAlive()) {
            process.onExit()
                    .completeOnTimeout(process, CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                    .thenRunAsync(() -> {
                        if (process.isAlive()) {
                            kill();
                        }
                    }, VIRTUAL);
        }
        closeQuietly(process.getInputStream());
    }

    static void closeQuietly(Closeable stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // the child is gone already
        }
    }
}
