package io.annexgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.Command;
import io.annexgate.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that cannot work ends at once with a non-zero status and one last line that names the
 * problem, as {@code git annex p2phttp} does, without a stack trace (unless --debug).
 */
class StartupFailureTest {

    @TempDir
    Path tmp;

    private void failsWith(Path dir, String expected, String... flags) {
        Command.Result result = ServerProcess.runUntilExit(dir, flags);
        List<String> lines = result.output().strip().lines().toList();
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(lines.getLast()).as(result.output()).startsWith("annexgate: ").contains(expected);
        assertThat(result.output()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception:");
    }

    @Test
    void outsideAGitAnnexRepositoryWithoutDirectory() {
        failsWith(tmp, "Use the --directory option", "--wideopen");
    }

    @Test
    void badFlagValues() {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        failsWith(served.dir(), "--jobs takes a number", "--wideopen", "--jobs=abc");
        failsWith(served.dir(), "--port takes a port number from 0 to 65535, not 70000", "--wideopen", "--port=70000");
        failsWith(served.dir(), "unknown option --unauth-everything", "--unauth-everything");
    }

    @Test
    void authenvWithoutAnyUser() {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        failsWith(served.dir(), "--authenv needs at least one user", "--authenv-http", "--port=0");
    }

    @Test
    void unreadableOrMismatchedCertificates() {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        failsWith(served.dir(), "cannot read --certfile", "--wideopen", "--port=0",
                "--certfile=" + tmp.resolve("missing.pem"), "--privatekeyfile=" + tmp.resolve("missing.key"));
        for (String name : List.of("a", "b")) {
            Command.ok(tmp, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=127.0.0.1", "-keyout", name + ".key", "-out", name + ".pem");
        }
        failsWith(served.dir(), "is not the key of the certificate", "--wideopen", "--port=0",
                "--certfile=" + tmp.resolve("a.pem"), "--privatekeyfile=" + tmp.resolve("b.key"));
    }

    @Test
    void aSocketWhereNoneCanBeMade() throws Exception {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        failsWith(served.dir(), "cannot listen on --socket", "--wideopen",
                "--socket=" + tmp.resolve("no-such-directory").resolve("annexgate.sock"));
        assertThat(Files.exists(tmp.resolve("no-such-directory"))).isFalse();
    }
}
