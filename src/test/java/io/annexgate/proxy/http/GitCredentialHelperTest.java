package io.annexgate.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.testing.Command;
import io.annexgate.testing.CredentialHelperScript;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real {@code git credential} in a repository whose only helper is a script that logs what it is told. */
class GitCredentialHelperTest {

    @TempDir
    Path tmp;

    Path repo;
    Path log;

    @BeforeEach
    void repository() throws IOException {
        repo = tmp.resolve("repo");
        Command.ok(tmp, "git", "init", "-q", repo.toString());
        log = tmp.resolve("helper.log");
        CredentialHelperScript.configure(repo, CredentialHelperScript.write(tmp, log, "*host=known*"));
    }

    @Test
    void fillGivesWhatTheHelperKnowsAndNothingElseWithoutPrompting() throws IOException {
        GitCredentialHelper git = new GitCredentialHelper(repo);
        assertThat(git.fill("annex+http://known:9417/git-annex/")).contains(new BasicCredential("alice", "wonder land"));
        assertThat(git.fill("https://unknown/repo.git")).isEmpty();
        assertThat(Files.readString(log, StandardCharsets.UTF_8))
                .contains("get protocol=annex+http host=known:9417 path=git-annex ")
                .contains("get protocol=https host=unknown");
    }

    @Test
    void approveAndRejectReachTheHelperAsStoreAndErase() throws IOException {
        GitCredentialHelper git = new GitCredentialHelper(repo);
        BasicCredential alice = new BasicCredential("alice", "wonder land");
        git.approve("https://known/repo.git", alice);
        git.reject("https://known/repo.git", alice);
        assertThat(Files.readAllLines(log, StandardCharsets.UTF_8)).containsExactly(
                "store protocol=https host=known username=alice ",
                "erase protocol=https host=known username=alice ");
    }

    @Test
    void aRepositoryGitCannotUseGivesNothing() {
        assertThat(new GitCredentialHelper(tmp.resolve("missing")).fill("https://known/")).isEmpty();
    }
}
