package io.annexgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A real git-annex repository made with git and git-annex, for tests. */
public record AnnexRepo(Path dir) {

    /** {@code git init} + {@code git annex init} in a new directory {@code name} below {@code parent}. */
    public static AnnexRepo init(Path parent, String name) {
        Path dir = parent.resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Command.ok(dir, "git", "init", "-q", "-b", "main");
        Command.ok(dir, "git", "annex", "init", "-q", name);
        return new AnnexRepo(dir);
    }

    /** A bare repository initialised for git-annex. */
    public static AnnexRepo initBare(Path parent, String name) {
        Path dir = parent.resolve(name);
        Command.ok(parent, "git", "init", "-q", "--bare", name);
        Command.ok(dir, "git", "annex", "init", "-q", name);
        return new AnnexRepo(dir);
    }

    /** Clones {@code origin} and makes the clone a git-annex repository that reaches origin over {@code annexUrl}. */
    public static AnnexRepo cloneOf(AnnexRepo origin, Path parent, String name, String annexUrl) {
        Command.ok(parent, "git", "clone", "-q", origin.dir().toString(), name);
        AnnexRepo clone = new AnnexRepo(parent.resolve(name));
        clone.git("config", "remote.origin.annexUrl", annexUrl);
        clone.git("config", "annex.security.allowed-ip-addresses", "all");
        Command.ok(clone.dir(), "git", "annex", "init", "-q", name);
        return clone;
    }

    /** Adds a file to the annex and commits it; returns its key. */
    public String add(String name, byte[] content) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        annex("add", "-q", name);
        git("commit", "-q", "-m", "add " + name);
        return key(name);
    }

    public String key(String name) {
        return annex("lookupkey", name).strip();
    }

    public String uuid() {
        return git("config", "annex.uuid").strip();
    }

    public String git(String... args) {
        return Command.ok(dir, Command.git(args).toArray(String[]::new));
    }

    public String annex(String... args) {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "git";
        cmd[1] = "annex";
        System.arraycopy(args, 0, cmd, 2, args.length);
        return Command.ok(dir, cmd);
    }

    /** {@code git annex} with extra environment variables (credentials of a special remote, say). */
    public String annexWith(Map<String, String> env, String... args) {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "git";
        cmd[1] = "annex";
        System.arraycopy(args, 0, cmd, 2, args.length);
        Command.Result r = Command.run(dir, env, cmd);
        if (!r.ok()) {
            throw new AssertionError(String.join(" ", cmd) + " failed (" + r.exitCode() + "):\n" + r.output());
        }
        return r.output();
    }

    public Command.Result tryAnnex(String... args) {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "git";
        cmd[1] = "annex";
        System.arraycopy(args, 0, cmd, 2, args.length);
        return Command.run(dir, cmd);
    }

    /** Whether the repository holds the content of {@code key} (asks git-annex itself). */
    public boolean hasContent(String key) {
        return Command.run(dir, "git", "annex", "contentlocation", key).ok();
    }
}
