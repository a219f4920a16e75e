package io.annexgate.proxy.http;

import io.annexgate.process.ChildCommand;
import io.annexgate.process.ChildExit;
import io.annexgate.process.ChildRun;
import io.annexgate.process.ChildTimedOutException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code git credential fill|approve|reject} run in a served repository, so its
 * {@code credential.*} configuration (helpers, per-url settings) applies as for git-annex there.
 * Never interactive: terminal prompts are off, so without a helper that knows the url there is no
 * credential.
 */
public final class GitCredentialHelper implements CredentialHelper {

    private static final Logger log = LoggerFactory.getLogger(GitCredentialHelper.class);
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path repository;

    public GitCredentialHelper(Path repository) {
        this.repository = repository;
    }

    @Override
    public Optional<BasicCredential> fill(String url) {
        Optional<String> out = run("fill", "url=" + url + "\n");
        if (out.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        out.get().lines().forEach(line -> {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), line.substring(eq + 1));
            }
        });
        String username = fields.get("username");
        String password = fields.get("password");
        if (username == null || password == null) {
            return Optional.empty();
        }
        return Optional.of(new BasicCredential(username, password));
    }

    @Override
    public void approve(String url, BasicCredential credential) {
        run("approve", described(url, credential));
    }

    @Override
    public void reject(String url, BasicCredential credential) {
        run("reject", described(url, credential));
    }

    private static String described(String url, BasicCredential credential) {
        return "url=" + url + "\nusername=" + credential.username() + "\npassword=" + credential.password() + "\n";
    }

    /** git credential's standard output, or empty when it failed or took too long. */
    private Optional<String> run(String action, String input) {
        ChildCommand command = ChildCommand.of(repository, "git", "credential", action)
                .withEnvironment(Map.of("GIT_TERMINAL_PROMPT", "0"));
        try {
            ChildExit exit = ChildRun.run(command, (input + "\n").getBytes(StandardCharsets.UTF_8), TIMEOUT);
            if (!exit.succeeded()) {
                log.debug("git credential {} in {} exited {}", action, repository, exit.status());
                return Optional.empty();
            }
            return Optional.of(exit.stdout().text());
        } catch (ChildTimedOutException e) {
            log.warn("git credential {} in {} took over {}", action, repository, TIMEOUT);
            return Optional.empty();
        } catch (InterruptedIOException e) {
            // the interrupt flag is still set for the caller to see
            return Optional.empty();
        } catch (IOException e) {
            log.warn("git credential {} in {} failed: {}", action, repository, e.getMessage());
            return Optional.empty();
        }
    }
}
