package io.annexgate.proxy.p2p;

import io.annexgate.process.ChildCommand;
import io.annexgate.process.ChildProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A child process's stdin/stdout; its stderr is kept (the last few KiB) for diagnostics. */
final class ProcessChannel implements P2PChannel {

    private static final int DIAGNOSTICS_BYTES = 4096;
    /** How long a diagnosis waits for a child that broke off to finish saying why. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(2);

    private final ChildProcess child;
    private final String description;

    private ProcessChannel(ChildProcess child, String description) {
        this.child = child;
        this.description = description + " (pid " + child.pid() + ")";
    }

    /**
     * Starts {@code command} in {@code directory} with the server's environment plus
     * {@code environment}; {@code description} names the peer in logs and errors.
     */
    static ProcessChannel start(List<String> command, Path directory, Map<String, String> environment,
            String description) throws IOException {
        ChildCommand what = new ChildCommand(command, directory, environment);
        return new ProcessChannel(ChildProcess.start(what, DIAGNOSTICS_BYTES), description);
    }

    @Override
    public InputStream input() {
        return child.stdout();
    }

    @Override
    public OutputStream output() {
        return child.stdin();
    }

    @Override
    public Optional<String> authToken() {
        return Optional.empty();
    }

    @Override
    public boolean isAlive() {
        return child.isAlive();
    }

    @Override
    public String diagnostics() {
        // asked when the protocol broke off: the process is usually exiting with its reason on stderr
        return child.stderrOnceExited(EXIT_WAIT).describe();
    }

    @Override
    public String description() {
        return description;
    }

    /**
     * Closes stdin (git-annex-shell then exits by itself, and ssh with it, committing what it
     * recorded) and kills the process tree if it lingers; does not wait.
     */
    @Override
    public void close() {
        child.close();
    }
}
