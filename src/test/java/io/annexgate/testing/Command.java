package io.annexgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(environment());
        pb.environment().putAll(extraEnv);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
