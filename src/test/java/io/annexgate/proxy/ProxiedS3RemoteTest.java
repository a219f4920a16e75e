package io.annexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.service.AnnexTarget;
import io.annexgate.proxy.special.SpecialRemoteTarget;
import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Keys;
import io.annexgate.testing.ProxiedRoundTrip;
import io.annexgate.testing.RawApi;
import io.annexgate.testing.S3Server;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A served repository proxying for its {@code S3} special remotes on a real S3 API server (s3proxy,
 * in this JVM). {@code s3} (unencrypted, unchunked, with a file prefix and a 5 MiB part size) is
 * stored to by Annexgate itself with the AWS SDK; {@code s3chunked} goes through git-annex in the
 * served repository. What either side stores, the other finds: the real client reaches {@code s3}
 * as {@code origin-s3} through the server, and the served repository's own git-annex reads and
 * writes the same bucket.
 */
class ProxiedS3RemoteTest {

    static final String BUCKET = "annexgate-test";
    static final String PREFIX = "annex/";
    static final Map<String, String> CREDENTIALS = Map.of(
            "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);

    @TempDir
    static java.nio.file.Path tmp;

    static S3Server s3;
    static AnnexRepo served;
    static AnnexgateServer server;
    static AnnexRepo client;
    static String s3Uuid;
    static String chunkedUuid;
    static RawApi api;

    @BeforeAll
    static void start() {
        s3 = S3Server.start();
        s3.createBucket(BUCKET);
        served = AnnexRepo.init(tmp, "served");
        served.git("config", "annex.security.allowed-ip-addresses", "all");
        served.add("seed.txt", "seed\n".getBytes(StandardCharsets.UTF_8));
        // credentials only in initremote's environment: git-annex caches them in annex/creds/<uuid>,
        // where both the server and later git-annex commands find them
        served.annexWith(CREDENTIALS, "initremote", "s3", "type=S3", "encryption=none", "host=127.0.0.1",
                "port=" + s3.port(), "protocol=http", "requeststyle=path", "bucket=" + BUCKET,
                "fileprefix=" + PREFIX, "partsize=5MiB");
        served.annexWith(CREDENTIALS, "initremote", "s3chunked", "type=S3", "encryption=none", "host=127.0.0.1",
                "port=" + s3.port(), "protocol=http", "requeststyle=path", "bucket=" + BUCKET + "-chunked",
                "chunk=1MiB");
        served.git("config", "remote.s3.annex-proxy", "true");
        served.git("config", "remote.s3chunked.annex-proxy", "true");
        served.annex("updateproxy");
        s3Uuid = served.git("config", "remote.s3.annex-uuid").strip();
        chunkedUuid = served.git("config", "remote.s3chunked.annex-uuid").strip();
        server = AnnexgateServer.serve(served.dir(), "--wideopen");
        api = new RawApi(server, s3Uuid);
        client = ProxiedRoundTrip.clientOf(served, tmp, server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        s3.close();
    }

    private static byte[] bytes(int n, long seed) {
        return ProxiedRoundTrip.bytes(n, seed);
    }

    private static Set<String> objects(String bucket) {
        return s3.objects(bucket);
    }

    private static byte[] object(String name) throws IOException {
        try (InputStream in = s3.blobStore().getBlob(BUCKET, name).getPayload().openStream()) {
            return in.readAllBytes();
        }
    }

    private static Set<String> pendingUploads() {
        return s3.pendingUploads(BUCKET);
    }

    private static String servedWhereis(String key) {
        return served.tryAnnex("whereis", "--key", key).output();
    }

    @Test
    void theUnchunkedRemoteIsStoredToNativelyAndTheChunkedOneThroughGitAnnex() {
        ProxiedRemotes remotes = server.bean(ProxiedRemotes.class);
        assertThat(remotes.find(new AnnexUuid(s3Uuid)).map(AnnexTarget::underlying)).get().isInstanceOf(SpecialRemoteTarget.class);
        assertThat(remotes.find(new AnnexUuid(chunkedUuid)).map(AnnexTarget::underlying)).get().isInstanceOf(ProxiedRemoteTarget.class);
        assertThat(client.annex("info", "--fast")).contains("[origin-s3]").contains("[origin-s3chunked]");
    }

    @Test
    void clientCopiesChecksGetsAndDropsAndGitAnnexReadsWhatWeStored() throws Exception {
        byte[] content = bytes(300_000, 1);
        String key = client.add("small.bin", content);
        client.annex("copy", "--to", "origin-s3", "small.bin");
        assertThat(objects(BUCKET)).contains(PREFIX + key);
        assertThat(object(PREFIX + key)).isEqualTo(content);
        assertThat(servedWhereis(key)).contains(s3Uuid);
        assertThat(client.tryAnnex("checkpresentkey", key, "origin-s3").ok()).isTrue();

        // the served repository's own git-annex finds, verifies and fetches it in the bucket
        assertThat(served.tryAnnex("fsck", "--from", "s3", "--key", key).ok()).isTrue();
        served.annex("get", "--from", "s3", "--key", key);
        assertThat(served.hasContent(key)).isTrue();
        served.annex("drop", "--force", "--key", key);

        client.annex("drop", "--force", "small.bin");
        client.annex("get", "--from", "origin-s3", "small.bin");
        assertThat(Files.readAllBytes(client.dir().resolve("small.bin"))).isEqualTo(content);

        client.annex("drop", "--from", "origin-s3", "small.bin");
        assertThat(objects(BUCKET)).doesNotContain(PREFIX + key);
        assertThat(servedWhereis(key)).doesNotContain(s3Uuid);
        assertThat(client.tryAnnex("checkpresentkey", key, "origin-s3").ok()).isFalse();
    }

    @Test
    void aLargeObjectGoesUpInPartsAndGitAnnexVerifiesIt() throws Exception {
        byte[] content = bytes(12 * 1024 * 1024 + 12345, 2);
        String key = client.add("large.bin", content);
        client.annex("copy", "--to", "origin-s3", "large.bin");
        assertThat(object(PREFIX + key)).isEqualTo(content);
        assertThat(served.tryAnnex("fsck", "--from", "s3", "--key", key).ok()).isTrue();

        client.annex("drop", "--force", "large.bin");
        client.annex("get", "--from", "origin-s3", "large.bin");
        assertThat(Files.readAllBytes(client.dir().resolve("large.bin"))).isEqualTo(content);
    }

    @Test
    void whatGitAnnexStoredTheClientGetsThroughUs() throws Exception {
        byte[] content = bytes(50_000, 3);
        String key = served.add("fromserved.bin", content);
        served.annex("copy", "--to", "s3", "fromserved.bin");
        assertThat(objects(BUCKET)).contains(PREFIX + key);

        assertThat(client.tryAnnex("checkpresentkey", key, "origin-s3").ok()).isTrue();
        RawApi.Response got = api.get("v4", key);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(content);
        RawApi.Response tail = api.get("v3", key, "offset", 20_000);
        assertThat(tail.header("X-git-annex-data-length")).isEqualTo("30000");
        assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 20_000, content.length));
    }

    @Test
    void aPutThatFailsVerificationLeavesNothingInTheBucket() {
        for (int size : new int[] {10_000, 6 * 1024 * 1024}) {
            byte[] content = bytes(size, 4);
            String key = Keys.sha256e(content, ".bin");
            byte[] wrong = content.clone();
            wrong[size - 1] ^= 1;
            RawApi.Response put = api.put("v4", key, wrong, wrong.length);
            assertThat(put.status()).isEqualTo(200);
            assertThat(put.text()).contains("\"stored\":false");
            assertThat(objects(BUCKET)).noneMatch(n -> n.startsWith(PREFIX + key));
            assertThat(pendingUploads()).noneMatch(n -> n.startsWith(PREFIX + key));
            assertThat(api.checkpresent(key).text()).contains("false");
        }
    }

    @Test
    void rawPutGetRemoveAndNoLocking() {
        byte[] content = bytes(20_000, 5);
        String key = Keys.sha256e(content, ".bin");
        assertThat(api.put("v4", key, content, content.length).text()).contains("\"stored\":true");
        assertThat(api.checkpresent(key).text()).contains("true");
        RawApi.Response locked = api.post("v4", "lockcontent", "key", key, "clientuuid", RawApi.CLIENT);
        assertThat(locked.status()).isEqualTo(200);
        assertThat(locked.text()).contains("\"locked\":false");
        assertThat(api.post("v4", "remove", "key", key, "clientuuid", RawApi.CLIENT).text())
                .contains("\"removed\":true");
        assertThat(objects(BUCKET)).doesNotContain(PREFIX + key);
        assertThat(api.get("v4", key).status()).isEqualTo(404);
    }

    @Test
    void theChunkedRemoteStillWorksThroughGitAnnex() {
        byte[] content = bytes(3 * 1024 * 1024, 6);
        String key = client.add("chunked.bin", content);
        client.annex("copy", "--to", "origin-s3chunked", "chunked.bin");
        assertThat(objects(BUCKET + "-chunked")).anyMatch(n -> n.startsWith("SHA256E-s" + content.length + "-S1048576-C1--"));
        assertThat(client.tryAnnex("checkpresentkey", key, "origin-s3chunked").ok()).isTrue();
    }

    @Test
    void gitAnnexTestremotePassesAgainstTheS3Remote() {
        ProxiedRoundTrip.testremote(client, "origin-s3");
    }

}
