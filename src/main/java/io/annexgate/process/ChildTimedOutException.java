package io.annexgate.process;

import java.io.IOException;
import java.time.Duration;

/**
 * A child process ran longer than it was given and was killed with everything it started; the
 * message names the command and the time allowed, with the tail of what it had said on stderr.
 */
public final class ChildTimedOutException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient CapturedOutput stdout;
    private final transient CapturedOutput stderr;

    ChildTimedOutException(ChildCommand command, Duration timeout, CapturedOutput stdout, CapturedOutput stderr) {
        super(command.describe() + " timed out after " + timeout + " and was killed"
                + ChildFailedException.said(stderr));
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** What the child had written to stdout when it was killed. */
    public CapturedOutput stdout() {
        return stdout;
    }

    /** The tail of what the child had written to stderr when it was killed. */
    public CapturedOutput stderr() {
        return stderr;
    }
}
