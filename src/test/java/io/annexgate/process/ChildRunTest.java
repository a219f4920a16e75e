package io.annexgate.process;

import static io.annexgate.process.ChildProcesses.SLEEPER_WITH_GRANDCHILD;
import static io.annexgate.process.ChildProcesses.pids;
import static io.annexgate.process.ChildProcesses.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes run to completion. */
class ChildRunTest {

    private static final Duration GENEROUS = Duration.ofMinutes(5);

    @TempDir
    Path tmp;

    private ChildCommand sh(String script) {
        return ChildCommand.of(tmp, "sh", "-c", script);
    }

    @Test
    void givesTheExitStatusAndWhatTheChildWrote() throws IOException {
        ChildExit exit = ChildRun.run(sh("pwd; echo \"$GREETING\"; echo complaint >&2")
                .withEnvironment(Map.of("GREETING", "hello")), GENEROUS);

        assertThat(exit.status()).isZero();
        assertThat(exit.succeeded()).isTrue();
        assertThat(exit.stdout().text()).isEqualTo(tmp.toRealPath() + "\nhello\n");
        assertThat(exit.stdout().truncated()).isFalse();
        assertThat(exit.stderr().text()).isEqualTo("complaint\n");
        assertThat(exit.requireSuccess()).isSameAs(exit);
    }

    @Test
    void feedsStdin() throws IOException {
        ChildExit exit = ChildRun.run(ChildCommand.of(tmp, "cat"), "line one\nline two\n".getBytes(StandardCharsets.UTF_8),
                GENEROUS);

        assertThat(exit.stdout().text()).isEqualTo("line one\nline two\n");
    }

    @Test
    void aChildThatNeverReadsItsStdinIsNotBlockedByIt() throws IOException {
        ChildExit exit = ChildRun.run(sh("echo done"), new byte[10_000_000], GENEROUS);

        assertThat(exit.stdout().text()).isEqualTo("done\n");
    }

    @Test
    void aNonZeroExitFailsWithTheCommandTheStatusAndTheTailOfStderr() throws IOException {
        ChildExit exit = ChildRun.run(sh("echo out; echo 'first complaint' >&2; echo 'the reason' >&2; exit 3"), GENEROUS);

        assertThat(exit.status()).isEqualTo(3);
        assertThat(exit.succeeded()).isFalse();
        assertThatThrownBy(exit::requireSuccess)
                .isInstanceOf(ChildFailedException.class)
                .hasMessageContaining("sh -c echo out;")
                .hasMessageContaining("exited with status 3")
                .hasMessageContaining("first complaint\nthe reason")
                .hasMessageNotContaining("truncated");
    }

    @Test
    void aFailureAfterMuchOnStderrKeepsItsLastWordsAndSaysItWasCut() throws IOException {
        ChildExit exit = ChildRun.run(sh("head -c 100000 /dev/zero | tr '\\0' x >&2; echo >&2; echo 'the reason' >&2; exit 2"),
                new byte[0], GENEROUS, new OutputLimits(1024, 1024));

        assertThat(exit.stderr().text()).hasSize(1024).endsWith("x\nthe reason\n");
        assertThat(exit.stderr().totalBytes()).isEqualTo(100_012);
        assertThatThrownBy(exit::requireSuccess)
                .hasMessageContaining("exited with status 2")
                .hasMessageContaining("[truncated, 100012 bytes in all]")
                .hasMessageEndingWith("xxx\nthe reason");
    }

    @Test
    void outputFarBeyondTheCapsIsDrainedWithoutDeadlockAndKeptBounded() throws IOException {
        int cap = 64 << 10;
        ChildExit exit = ChildRun.run(sh("head -c 50000000 /dev/zero >&2 & head -c 50000000 /dev/zero; wait"),
                new byte[0], GENEROUS, new OutputLimits(cap, 4096));

        assertThat(exit.status()).isZero();
        assertThat(exit.stdout().text().length()).isLessThanOrEqualTo(cap);
        assertThat(exit.stdout().totalBytes()).isEqualTo(50_000_000);
        assertThat(exit.stdout().truncated()).isTrue();
        assertThat(exit.stderr().text().length()).isLessThanOrEqualTo(4096);
        assertThat(exit.stderr().totalBytes()).isEqualTo(50_000_000);
        assertThat(exit.stderr().truncated()).isTrue();
    }

    @Test
    void aChildThatRunsTooLongIsKilledWithItsGrandchild() {
        ChildTimedOutException timedOut = catchThrowableOfType(ChildTimedOutException.class,
                () -> ChildRun.run(sh(SLEEPER_WITH_GRANDCHILD), Duration.ofSeconds(2)));

        assertThat(timedOut).hasMessageContaining("sh -c sleep 1000").hasMessageContaining("timed out after PT2S");
        List<Long> pids = pids(timedOut.stdout().text());
        assertThat(pids).hasSize(2);
        assertThat(pids).noneMatch(ChildProcesses::running);
    }

    @Test
    void anInterruptedRunKillsTheTreeAndKeepsTheInterrupt() throws Exception {
        Path fifo = tmp.resolve("pids");
        ChildRun.run(ChildCommand.of(tmp, "mkfifo", fifo.toString()), GENEROUS).requireSuccess();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread runner = Thread.ofVirtual().start(() -> {
            try {
                ChildRun.run(sh("(" + SLEEPER_WITH_GRANDCHILD + ") > pids"), GENEROUS);
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(Thread.currentThread().isInterrupted() ? t : new AssertionError("interrupt lost", t));
            }
        });
        List<Long> pids;
        try (InputStream reported = Files.newInputStream(fifo)) {
            // opening blocks until the script opens the pipe, reading until it wrote both pids: it is running
            pids = pids(new String(readLines(reported, 2), StandardCharsets.UTF_8));
        }
        runner.interrupt();

        assertThat(outcome.get(1, TimeUnit.MINUTES)).isInstanceOf(InterruptedIOException.class)
                .hasMessageContaining("interrupted");
        assertThat(pids).hasSize(2).noneMatch(ChildProcesses::running);
    }

    /** Reads up to {@code lines} newline-terminated lines, byte by byte, without waiting for more. */
    private static byte[] readLines(InputStream in, int lines) throws IOException {
        var read = new java.io.ByteArrayOutputStream();
        int b;
        while (lines > 0 && (b = in.read()) >= 0) {
            read.write(b);
            if (b == '\n') {
                lines--;
            }
        }
        return read.toByteArray();
    }

    @Test
    void aChildThatLeavesSomethingHoldingItsOutputStillEndsTheRunByTheDeadline() throws Exception {
        ChildExit exit = ChildRun.run(sh("sleep 1000 & echo $!"), Duration.ofSeconds(2));
        long grandchild = pids(exit.stdout().text()).getFirst();
        try {
            assertThat(exit.status()).isZero();
        } finally {
            ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aProgramThatCannotStartIsAnIOException() {
        assertThatThrownBy(() -> ChildRun.run(ChildCommand.of(tmp, "annexgate-no-such-program"), GENEROUS))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(ChildFailedException.class);
    }
}
