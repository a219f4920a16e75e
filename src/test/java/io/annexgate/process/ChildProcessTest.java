package io.annexgate.process;

import static io.annexgate.process.ChildProcesses.SLEEPER_WITH_GRANDCHILD;
import static io.annexgate.process.ChildProcesses.awaitGone;
import static io.annexgate.process.ChildProcesses.running;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real child process whose stdin and stdout the caller uses. */
class ChildProcessTest {

    @TempDir
    Path tmp;

    @Test
    void theCallerTalksThroughStdinAndStdoutAndClosingStdinEndsIt() throws Exception {
        ChildProcess child = ChildProcess.start(ChildCommand.of(tmp, "cat"), 4096);
        long pid = child.pid();
        try (child) {
            OutputStream in = child.stdin();
            in.write("ping\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            var out = new BufferedReader(new InputStreamReader(child.stdout(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("ping");
            assertThat(child.isAlive()).isTrue();
        }

        assertThat(child.awaitExit(Duration.ofMinutes(1))).isTrue();
        assertThat(child.exitStatus()).isZero();
        assertThat(running(pid)).isFalse();
    }

    @Test
    void aChildThatIgnoresTheClosedStdinIsKilledWithItsGrandchildAfterTheGrace() throws Exception {
        ChildProcess child = ChildProcess.start(ChildCommand.of(tmp, "sh", "-c", SLEEPER_WITH_GRANDCHILD), 4096);
        var out = new BufferedReader(new InputStreamReader(child.stdout(), StandardCharsets.UTF_8));
        List<Long> pids = List.of(Long.parseLong(out.readLine()), Long.parseLong(out.readLine()));
        assertThat(pids).allMatch(ChildProcesses::running);

        child.close();

        for (long pid : pids) {
            awaitGone(pid);
        }
        assertThat(pids).noneMatch(ChildProcesses::running);
        assertThat(running(child.pid())).isFalse();
    }

    @Test
    void killEndsTheTreeAtOnce() throws Exception {
        ChildProcess child = ChildProcess.start(ChildCommand.of(tmp, "sh", "-c", SLEEPER_WITH_GRANDCHILD), 4096);
        var out = new BufferedReader(new InputStreamReader(child.stdout(), StandardCharsets.UTF_8));
        long grandchild = Long.parseLong(out.readLine());

        child.kill();

        assertThat(child.isAlive()).isFalse();
        assertThat(running(grandchild)).isFalse();
        child.close();
    }

    @Test
    void keepsTheLastOfStderrBoundedForADiagnosis() throws Exception {
        try (ChildProcess child = ChildProcess.start(ChildCommand.of(tmp, "sh", "-c",
                "head -c 100000 /dev/zero | tr '\\0' x >&2; echo >&2; echo 'last words' >&2; exit 1"), 512)) {
            CapturedOutput stderr = child.stderrOnceExited(Duration.ofMinutes(1));

            assertThat(stderr.text()).hasSize(512).endsWith("xx\nlast words\n");
            assertThat(stderr.truncated()).isTrue();
            assertThat(stderr.totalBytes()).isEqualTo(100_012);
            assertThat(child.exitStatus()).isEqualTo(1);
        }
    }
}
