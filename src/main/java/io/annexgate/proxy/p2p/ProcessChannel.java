package io.annexgate.proxy.p2p;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A child process's stdin/stdout; its stderr is kept (the last few KiB) for diagnostics. */
final class ProcessChannel implements P2PChannel {

    private static final int DIAGNOSTICS_BYTES = 4096;

    private final Process process;
    private final Thread stderrDrain;
    private final String description;
    private final byte[] stderrTail = new byte[DIAGNOSTICS_BYTES];
    private int stderrLength;

    /**
     * Starts {@code command} in {@code directory} with the server's environment plus
     * {@code environment}; {@code description} names the peer in logs and errors.
     */
    static ProcessChannel start(List<String> command, Path directory, Map<String, String> environment,
            String description) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile());
        pb.environment().putAll(environment);
        return new ProcessChannel(pb.start(), description);
    }

    ProcessChannel(Process process, String description) {
        this.process = process;
        this.description = description + " (pid " + process.pid() + ")";
        this.stderrDrain = Thread.ofVirtual().name("p2p-stderr-" + process.pid()).start(this::drainStderr);
    }

    private void drainStderr() {
        byte[] buf = new byte[1024];
        try (InputStream err = process.getErrorStream()) {
            int n;
            while ((n = err.read(buf)) >= 0) {
                keep(buf, n);
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    private synchronized void keep(byte[] buf, int n) {
        int keepFrom = Math.max(0, n - stderrTail.length);
        int len = n - keepFrom;
        int overflow = Math.max(0, stderrLength + len - stderrTail.length);
        System.arraycopy(stderrTail, overflow, stderrTail, 0, stderrLength - overflow);
        stderrLength -= overflow;
        System.arraycopy(buf, keepFrom, stderrTail, stderrLength, len);
        stderrLength += len;
    }

    @Override
    public InputStream input() {
        return process.getInputStream();
    }

    @Override
    public OutputStream output() {
        return process.getOutputStream();
    }

    @Override
    public Optional<String> authToken() {
        return Optional.empty();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public String diagnostics() {
        // asked when the protocol broke off: the process is usually exiting with its reason on
        // stderr, so give it a moment to finish and the drain to read all it said
        try {
            if (process.waitFor(2, TimeUnit.SECONDS)) {
                stderrDrain.join(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return tail();
    }

    private synchronized String tail() {
        return new String(stderrTail, 0, stderrLength, StandardCharsets.UTF_8).strip();
    }

    @Override
    public String description() {
        return description;
    }

    /** Closes stdin (git-annex-shell then exits by itself, and ssh with it) and kills the process if it lingers. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        if (process.isAlive()) {
            process.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> {
                process.destroyForcibly();
                return process;
            });
            process.destroy();
        }
        try {
            process.getInputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
