package io.annexgate.testing;

import io.annexgate.process.ChildCommand;
import io.annexgate.process.ChildExit;
import io.annexgate.process.ChildRun;
import io.annexgate.process.ChildTimedOutException;
import io.annexgate.process.OutputLimits;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs git and git-annex as real processes, isolated from the user's configuration: HOME is a
 * scratch directory and commits get a fixed identity.
 */
public final class Command {

    /** What a finished command left behind. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private static final Path HOME = scratchHome();
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    /** Tests read all a command says. */
    private static final OutputLimits ALL_OUTPUT = new OutputLimits(1 << 30, 0);

    private Command() {
    }

    private static Path scratchHome() {
        try {
            Path home = java.nio.file.Files.createTempDirectory("annexgate-test-home");
            home.toFile().deleteOnExit();
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, String> environment() {
        return Map.of(
                "HOME", HOME.toString(),
                "GIT_CONFIG_NOSYSTEM", "1",
                "GIT_AUTHOR_NAME", "Annexgate Test",
                "GIT_AUTHOR_EMAIL", "test@annexgate.invalid",
                "GIT_COMMITTER_NAME", "Annexgate Test",
                "GIT_COMMITTER_EMAIL", "test@annexgate.invalid",
                "GIT_TERMINAL_PROMPT", "0",
                "LC_ALL", "C.UTF-8");
    }

    /** Runs a command in {@code dir} and returns its exit code and combined output. */
    public static Result run(Path dir, String... command) {
        return run(dir, Map.of(), command);
    }

    public static Result run(Path dir, Map<String, String> extraEnv, String... command) {
        // stdout and stderr interleaved as a terminal shows them: the shell points both at one pipe
        List<String> merged = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" 2>&1", "sh"));
        merged.addAll(List.of(command));
        ChildCommand child = new ChildCommand(merged, dir, environment()).withEnvironment(extraEnv);
        try {
            ChildExit exit = ChildRun.run(child, new byte[0], TIMEOUT, ALL_OUTPUT);
            return new Result(exit.status(), exit.stdout().text());
        } catch (ChildTimedOutException e) {
            throw new IllegalStateException("timed out: " + String.join(" ", command), e);
        } catch (InterruptedIOException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command that must succeed; returns its output. */
    public static String ok(Path dir, String... command) {
        Result r = run(dir, command);
        if (!r.ok()) {
            throw new AssertionError(String.join(" ", command) + " failed (" + r.exitCode() + "):\n" + r.output());
        }
        return r.output();
    }

    public static List<String> git(String... args) {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
