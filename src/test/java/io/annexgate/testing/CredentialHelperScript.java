package io.annexgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A git credential helper for tests: logs each call ({@code get}, {@code store}, {@code erase})
 * with what git told it but the password, one line each, and answers a {@code get} whose input
 * matches a shell {@code case} pattern with user {@code alice}, password {@code wonder land}.
 */
public final class CredentialHelperScript {

    private CredentialHelperScript() {
    }

    /**
     * Writes the helper as {@code dir/credential-helper.sh}, logging to {@code log}.
     *
     * @param knows a shell case pattern over the input lines, e.g. {@code *host=known*}
     * @return the script, to configure as {@code credential.helper}
     */
    public static Path write(Path dir, Path log, String knows) {
        Path helper = dir.resolve("credential-helper.sh");
        try {
            Files.writeString(helper, """
                    #!/bin/sh
                    input=$(cat)
                    echo "$1 $(echo "$input" | grep -v '^password=' | tr '\\n' ' ')" >> '%s'
                    if [ "$1" = get ]; then
                      case "$input" in
                        %s) printf 'username=alice\\npassword=wonder land\\n' ;;
                      esac
                    fi
                    """.formatted(log, knows));
            Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return helper;
    }

    /** Makes {@code helper} the only credential helper of the repository in {@code repo}. */
    public static void configure(Path repo, Path helper) {
        // the empty value drops any helper configured outside the repository
        Command.ok(repo, "git", "config", "--add", "credential.helper", "");
        Command.ok(repo, "git", "config", "--add", "credential.helper", helper.toString());
    }
}
