package io.annexgate.process;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run: a command line, the directory it runs in and what it adds to the server's
 * environment.
 */
public record ChildCommand(List<String> argv, Path directory, Map<String, String> environment) {

    public ChildCommand {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least a program");
        }
        Objects.requireNonNull(directory, "directory");
        environment = Map.copyOf(environment);
    }

    /** {@code argv} run in {@code directory} with the server's environment. */
    public static ChildCommand of(Path directory, String... argv) {
        return new ChildCommand(List.of(argv), directory, Map.of());
    }

    /** This command with {@code more} added to its environment (overriding what it had). */
    public ChildCommand withEnvironment(Map<String, String> more) {
        Map<String, String> merged = new HashMap<>(environment);
        merged.putAll(more);
        return new ChildCommand(argv, directory, merged);
    }

    /** For messages: the command line and where it ran; never the environment, which may hold secrets. */
    public String describe() {
        return String.join(" ", argv) + " (in " + directory + ")";
    }

    ProcessBuilder builder() {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(directory.toFile());
        builder.environment().putAll(environment);
        return builder;
    }
}
