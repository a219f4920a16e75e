package io.annexgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for ssh, so no sshd is needed: a shell script that records its arguments, drops the
 * host and options, and runs the remote command (its last argument) with {@code sh -c} as a login
 * would, in {@code home} with {@code HOME} set to it (so {@code /~/} paths resolve there).
 */
public record FakeSsh(Path script, Path log, Path home) {

    /** Writes the script into {@code dir}; the remote account's home is {@code home}, given a git identity. */
    public static FakeSsh in(Path dir, Path home) {
        try {
            Files.createDirectories(dir);
            Files.createDirectories(home);
            Files.writeString(home.resolve(".gitconfig"),
                    "[user]\n\tname = Fake Ssh Login\n\temail = login@annexgate.invalid\n");
            Path log = dir.resolve("fake-ssh.log");
            Path script = dir.resolve("fake-ssh");
            Files.writeString(script, """
                    #!/bin/sh
                    # records one line per run: the arguments, each followed by \\037
                    for a; do printf '%%s\\037' "$a"; done >> '%s'
                    echo >> '%s'
                    for last; do :; done
                    cd '%s' || exit 255
                    HOME='%s'
                    export HOME
                    exec sh -c "$last"
                    """.formatted(log, log, home, home), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            return new FakeSsh(script, log, home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The arguments of every run so far, oldest first. */
    public List<List<String>> runs() {
        try {
            if (!Files.exists(log)) {
                return List.of();
            }
            List<List<String>> runs = new ArrayList<>();
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                List<String> args = new ArrayList<>(List.of(line.split("\037", -1)));
                args.removeLast();
                runs.add(args);
            }
            return runs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
