package io.annexgate.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.ApiVersion;
import io.annexgate.protocol.Key;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** annex+http urls as git-annex reads them (P2P/Http/Url.hs), and the API urls made from them. */
class P2pHttpUrlTest {

    private static final AnnexUuid REMOTE = new AnnexUuid("0badc0de-0000-4000-8000-000000000044");
    private static final AnnexUuid SELF = new AnnexUuid("5e1f0000-aaaa-bbbb-cccc-000000000044");

    private static URI base(String url) {
        return P2pHttpUrl.parse(url).orElseThrow().base();
    }

    @Test
    void theDefaultPortIs9417AndARootGitAnnexPathIsDropped() {
        assertThat(base("annex+http://example.org/git-annex/")).isEqualTo(URI.create("http://example.org:9417"));
        assertThat(base("annex+https://example.org:8443/git-annex")).isEqualTo(URI.create("https://example.org:8443"));
        assertThat(base("annex+http://example.org")).isEqualTo(URI.create("http://example.org:9417"));
        assertThat(base("annex+http://[::1]:9417/")).isEqualTo(URI.create("http://[::1]:9417"));
        // upstream keeps any other path in front of /git-annex/...
        assertThat(base("annex+http://example.org/annex/")).isEqualTo(URI.create("http://example.org:9417/annex"));
    }

    @Test
    void otherUrlsAreNotTheHttpApi() {
        assertThat(P2pHttpUrl.parse("http://example.org/git-annex/")).isEmpty();
        assertThat(P2pHttpUrl.parse("annex+ftp://example.org/")).isEmpty();
        assertThat(P2pHttpUrl.parse("annex::?type=directory")).isEmpty();
        assertThat(P2pHttpUrl.isP2pHttpUrl("annex+https://h/")).isTrue();
    }

    @Test
    void credentialsInTheUrlBecomeBasicAuthAndAreKeptOutOfMessages() {
        P2pHttpUrl url = P2pHttpUrl.parse("annex+http://alice:s%40cret@example.org/git-annex/").orElseThrow();
        assertThat(url.authorization()).contains("Basic " + Base64.getEncoder()
                .encodeToString("alice:s@cret".getBytes(StandardCharsets.UTF_8)));
        assertThat(url.base()).isEqualTo(URI.create("http://example.org:9417"));
        assertThat(url.redacted()).doesNotContain("cret").contains("example.org");
        assertThat(url.toString()).doesNotContain("cret");
        assertThat(P2pHttpUrl.parse("annex+http://example.org/").orElseThrow().authorization()).isEqualTo(Optional.empty());
    }

    @Test
    void requestsNameTheRemoteAndSendTheServedRepositoryAsClientWithEveryBypass() {
        P2pHttpUrl url = P2pHttpUrl.parse("annex+http://h/git-annex/").orElseThrow();
        P2pHttpRemote remote = new P2pHttpRemote(REMOTE, "r", url, RemoteCredentials.ofUrl(url), SELF, null);
        AnnexUuid gateway = new AnnexUuid("0badc0de-0000-4000-8000-0000000000aa");
        assertThat(remote.request(ApiVersion.V3, "checkpresent", remote.query(Set.of(gateway), "key", "SHA1-s1--ab c"))
                .build().uri()).isEqualTo(URI.create("http://h:9417/git-annex/" + REMOTE.value()
                + "/v3/checkpresent?clientuuid=" + SELF.value() + "&bypass=" + gateway.value() + "&key=SHA1-s1--ab%20c"));
        // brackets in a key are percent-encoded (a serialized key never looks wrapped as a whole)
        assertThat(P2pHttpUrl.encode(P2pHttpRemote.wire(Key.of("WORM", 3, "[x]")))).isEqualTo("WORM-s3--%5Bx%5D");
    }
}
