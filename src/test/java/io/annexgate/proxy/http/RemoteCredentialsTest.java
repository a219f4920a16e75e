package io.annexgate.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemoteCredentialsTest {

    private static final BasicCredential ALICE = new BasicCredential("alice", "wonder land");

    /** Answers {@code fill} with {@code answer} and records every call. */
    private static final class ScriptedHelper implements CredentialHelper {
        final List<String> calls = new ArrayList<>();
        Optional<BasicCredential> answer;

        ScriptedHelper(Optional<BasicCredential> answer) {
            this.answer = answer;
        }

        @Override
        public Optional<BasicCredential> fill(String url) {
            calls.add("fill " + url);
            return answer;
        }

        @Override
        public void approve(String url, BasicCredential credential) {
            calls.add("approve " + url + " " + credential.username());
        }

        @Override
        public void reject(String url, BasicCredential credential) {
            calls.add("reject " + url + " " + credential.username());
        }
    }

    private static P2pHttpUrl url(String url) {
        return P2pHttpUrl.parse(url).orElseThrow();
    }

    @Test
    void theUrlsOwnCredentialsAreSentFromTheStartAndARefusalIsFinal() {
        ScriptedHelper helper = new ScriptedHelper(Optional.of(ALICE));
        RemoteCredentials credentials = RemoteCredentials.of(url("annex+http://bob:pw@h/git-annex/"), "u", helper);
        String bob = new BasicCredential("bob", "pw").authorization();
        assertThat(credentials.authorization()).contains(bob);
        assertThat(credentials.afterUnauthorized(Optional.of(bob))).isEmpty();
        credentials.accepted(Optional.of(bob));
        assertThat(helper.calls).isEmpty();
    }

    @Test
    void withoutThemA401FillsOnceTheFirstSuccessApprovesAndASecond401Rejects() {
        ScriptedHelper helper = new ScriptedHelper(Optional.of(ALICE));
        RemoteCredentials credentials = RemoteCredentials.of(url("annex+http://h/git-annex/"), "http://h/repo.git", helper);
        assertThat(credentials.authorization()).isEmpty();

        assertThat(credentials.afterUnauthorized(Optional.empty())).contains(ALICE.authorization());
        // a request sent before the fill, refused meanwhile, is sent again with what was filled
        assertThat(credentials.afterUnauthorized(Optional.empty())).contains(ALICE.authorization());
        assertThat(credentials.authorization()).contains(ALICE.authorization());
        credentials.accepted(Optional.of(ALICE.authorization()));
        credentials.accepted(Optional.of(ALICE.authorization()));
        assertThat(helper.calls).containsExactly("fill http://h/repo.git", "approve http://h/repo.git alice");

        assertThat(credentials.afterUnauthorized(Optional.of(ALICE.authorization()))).isEmpty();
        assertThat(helper.calls).endsWith("reject http://h/repo.git alice");
        assertThat(credentials.authorization()).isEmpty();
    }

    @Test
    void noCredentialFromTheHelpersMeansTheRefusalStands() {
        ScriptedHelper helper = new ScriptedHelper(Optional.empty());
        RemoteCredentials credentials = RemoteCredentials.of(url("annex+http://h/git-annex/"), "u", helper);
        assertThat(credentials.afterUnauthorized(Optional.empty())).isEmpty();
        assertThat(credentials.authorization()).isEmpty();
        assertThat(RemoteCredentials.ofUrl(url("annex+http://h/git-annex/")).afterUnauthorized(Optional.empty())).isEmpty();
    }

    @Test
    void theCredentialUrlIsTheGitUrlOnTheSameHostElseTheAnnexUrl() {
        P2pHttpUrl annex = url("annex+https://Example.org/git-annex/");
        assertThat(RemoteCredentials.credentialUrl(annex, "https://example.ORG/repo.git")).isEqualTo("https://example.ORG/repo.git");
        assertThat(RemoteCredentials.credentialUrl(annex, "http://example.org:8080/repo")).isEqualTo("http://example.org:8080/repo");
        assertThat(RemoteCredentials.credentialUrl(annex, "https://other.org/repo.git")).isEqualTo("annex+https://Example.org/git-annex/");
        assertThat(RemoteCredentials.credentialUrl(annex, "../repo")).isEqualTo("annex+https://Example.org/git-annex/");
        assertThat(RemoteCredentials.credentialUrl(annex, "ssh://example.org/repo")).isEqualTo("annex+https://Example.org/git-annex/");
        assertThat(RemoteCredentials.credentialUrl(annex, null)).isEqualTo("annex+https://Example.org/git-annex/");
    }
}
