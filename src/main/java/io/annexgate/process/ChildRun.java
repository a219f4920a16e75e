package io.annexgate.process;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Runs a child process to completion within a time limit: stdin is fed and stdout and stderr are
 * drained on virtual threads, so no pipe fills and blocks the child; only what {@link OutputLimits}
 * allows is kept. On the timeout or an interruption the whole process tree is killed.
 */
public final class ChildRun {

    private ChildRun() {
    }

    /** Runs {@code command} with nothing on stdin. */
    public static ChildExit run(ChildCommand command, Duration timeout) throws IOException {
        return run(command, new byte[0], timeout, OutputLimits.DEFAULT);
    }

    /** Runs {@code command} with {@code input} on stdin. */
    public static ChildExit run(ChildCommand command, byte[] input, Duration timeout) throws IOException {
        return run(command, input, timeout, OutputLimits.DEFAULT);
    }

    /**
     * Runs {@code command} with {@code input} on stdin and waits up to {@code timeout} for it to exit,
     * whatever its status.
     *
     * @throws ChildTimedOutException it ran too long, and was killed with all it started
     * @throws InterruptedIOException the waiting thread was interrupted (its interrupt flag stays
     *     set); the child was killed with all it started
     * @throws IOException it could not be started
     */
    public static ChildExit run(ChildCommand command, byte[] input, Duration timeout, OutputLimits limits)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ChildProcess child = ChildProcess.start(command, limits.stderrBytes());
        BoundedSink stdout = BoundedSink.first(limits.stdoutBytes());
        Thread stdoutDrain = stdout.drain(child.stdout(), "child-stdout-" + child.pid());
        feed(child, input);
        try {
            if (!child.awaitExit(timeout)) {
                child.kill();
                // the killed tree held the pipes' other ends: the drains end now
                stdoutDrain.join(ProcessTree.GONE_WITHIN);
                child.awaitStderrEnd(ProcessTree.GONE_WITHIN);
                throw new ChildTimedOutException(command, timeout, stdout.captured(), child.stderr());
            }
            // something the child left running may still hold its stdout or stderr: wait for the
            // rest of the output only until the deadline, then give what was read
            stdoutDrain.join(untilDeadline(deadline));
            child.awaitStderrEnd(untilDeadline(deadline));
        } catch (InterruptedException e) {
            child.kill();
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException(command.describe() + " was interrupted");
            interrupted.initCause(e);
            throw interrupted;
        }
        return new ChildExit(command, child.exitStatus(), stdout.captured(), child.stderr());
    }

    private static Duration untilDeadline(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** Writes {@code input} to the child's stdin on a virtual thread, then closes it. */
    private static void feed(ChildProcess child, byte[] input) {
        OutputStream stdin = child.stdin();
        if (input.length == 0) {
            ChildProcess.closeQuietly(stdin);
            return;
        }
        Thread.ofVirtual().name("child-stdin-" + child.pid()).start(() -> {
            try (stdin) {
                stdin.write(input);
            } catch (IOException ignored) {
                // the child stopped reading (it exited or was killed): its exit says how it went
            }
        });
    }
}
