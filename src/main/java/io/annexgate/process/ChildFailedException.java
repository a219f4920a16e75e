package io.annexgate.process;

import java.io.IOException;

/** A child process exited with a non-zero status; the message names the command, the status and the tail of stderr. */
public final class ChildFailedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient ChildExit exit;

    ChildFailedException(ChildExit exit) {
        super(exit.command().describe() + " exited with status " + exit.status() + said(exit.stderr()));
        this.exit = exit;
    }

    static String said(CapturedOutput stderr) {
        String text = stderr.describe();
        return text.isEmpty() ? "" : ": " + text;
    }

    public ChildExit exit() {
        return exit;
    }
}
