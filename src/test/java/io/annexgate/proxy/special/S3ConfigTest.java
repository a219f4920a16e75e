package io.annexgate.proxy.special;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** remote.log configurations of S3 remotes read as git-annex reads them; credentials found where it finds them. */
class S3ConfigTest {

    static final AnnexUuid UUID = new AnnexUuid("ed4a4a58-5f3a-4981-b973-583d52ce088a");

    @TempDir
    Path annexDir;

    /** What {@code git annex initremote s3 type=S3 encryption=none} leaves in remote.log, plus {@code extra}. */
    private static Map<String, String> initremote(String... extra) {
        Map<String, String> c = new HashMap<>(Map.of("type", "S3", "encryption", "none", "name", "s3",
                "bucket", "s3-" + UUID.value(), "datacenter", "US", "host", "s3.amazonaws.com", "port", "80",
                "storageclass", "STANDARD"));
        for (String e : extra) {
            int eq = e.indexOf('=');
            c.put(e.substring(0, eq), e.substring(eq + 1));
        }
        return c;
    }

    private static S3Config usable(Map<String, String> c) {
        S3Config.Parsed parsed = S3Config.parse(c);
        assertThat(parsed).isInstanceOf(S3Config.Parsed.Usable.class);
        return ((S3Config.Parsed.Usable) parsed).config();
    }

    private static String unsupported(Map<String, String> c) {
        S3Config.Parsed parsed = S3Config.parse(c);
        assertThat(parsed).isInstanceOf(S3Config.Parsed.Unsupported.class);
        return ((S3Config.Parsed.Unsupported) parsed).reason();
    }

    @Test
    void amazonDefaultsAreGitAnnexs() {
        S3Config c = usable(initremote());
        // git-annex talks plain http on port 80 unless told otherwise, to the datacenter's endpoint,
        // with the bucket as a host name
        assertThat(c.endpoint()).isEqualTo(URI.create("http://s3.amazonaws.com:80"));
        assertThat(c.region()).isEqualTo("us-east-1");
        assertThat(c.pathStyle()).isFalse();
        assertThat(c.storageClass()).isEqualTo("STANDARD");
        assertThat(c.partSize()).isEmpty();
        assertThat(c.publicRead()).isFalse();
        assertThat(c.metadata()).isEmpty();

        S3Config eu = usable(initremote("datacenter=EU", "protocol=https"));
        assertThat(eu.endpoint()).isEqualTo(URI.create("https://s3-eu-west-1.amazonaws.com:443"));
        assertThat(eu.region()).isEqualTo("eu-west-1");
        S3Config region = usable(initremote("datacenter=ap-northeast-1", "port=443"));
        assertThat(region.endpoint()).isEqualTo(URI.create("https://s3-ap-northeast-1.amazonaws.com:443"));
        assertThat(region.region()).isEqualTo("ap-northeast-1");
    }

    @Test
    void anotherHostIsUsedAsGivenAndRegionWins() {
        S3Config c = usable(initremote("host=127.0.0.1", "port=9000", "requeststyle=path", "region=eu-central-1",
                "bucket=MyBucket", "fileprefix=annex/", "partsize=1GiB", "public=yes", "x-amz-meta-owner=ops",
                "x-amz-tagging=team=data", "storageclass=STANDARD_IA"));
        assertThat(c.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(c.region()).isEqualTo("eu-central-1");
        assertThat(c.pathStyle()).isTrue();
        assertThat(c.bucket()).isEqualTo("mybucket");
        assertThat(c.partSize()).isEqualTo(OptionalLong.of(1L << 30));
        assertThat(c.publicRead()).isTrue();
        assertThat(c.metadata()).isEqualTo(Map.of("owner", "ops"));
        assertThat(c.tagging()).isEqualTo("team=data");
        assertThat(c.storageClass()).isEqualTo("STANDARD_IA");
        assertThat(usable(initremote("host=minio.example", "protocol=https")).endpoint())
                .isEqualTo(URI.create("https://minio.example:443"));
    }

    @Test
    void objectsAreNamedByPrefixAndKey() {
        Key key = Key.parse("SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt");
        assertThat(usable(initremote()).objectName(key)).isEqualTo(key.serialize());
        assertThat(usable(initremote("fileprefix=annex/")).objectName(key)).isEqualTo("annex/" + key.serialize());
    }

    @Test
    void whatGitAnnexMustStoreItselfIsNotNative() {
        assertThat(unsupported(initremote("encryption=shared", "cipher=abc"))).contains("encrypted");
        assertThat(unsupported(initremote("encryption=hybrid", "cipherkeys=abc"))).contains("encrypted");
        assertThat(unsupported(initremote("chunk=1MiB"))).contains("chunked");
        assertThat(unsupported(initremote("chunksize=1MiB"))).contains("chunked");
        assertThat(unsupported(initremote("versioning=yes"))).contains("versioning");
        assertThat(unsupported(initremote("exporttree=yes"))).contains("exporttree");
        assertThat(unsupported(initremote("importtree=yes"))).contains("importtree");
        assertThat(unsupported(initremote("host=s3.us.archive.org"))).contains("Internet Archive");
        assertThat(unsupported(initremote("mungekeys=ia"))).contains("mungekeys");
        assertThat(unsupported(initremote("signature=v2"))).contains("signature");
        assertThat(unsupported(initremote("signature=anonymous"))).contains("signature");
        assertThat(unsupported(initremote("requeststyle=virtual"))).contains("requeststyle");
        assertThat(unsupported(Map.of("type", "directory", "encryption", "none"))).contains("not an S3");
        // chunk=0 is git-annex's "no chunks"; signature=v4 is what the SDK does anyway
        usable(initremote("chunk=0", "signature=v4", "versioning=no"));
    }

    @Test
    void partsAreAtLeastS3sMinimumAndAtMostTenThousand() {
        S3Remote remote = new S3Remote(usable(initremote("host=127.0.0.1", "partsize=1MiB")),
                new S3Credentials("id", "secret", null));
        try (remote) {
            assertThat(remote.partSize(100L << 20)).isEqualTo(S3Remote.MIN_PART_SIZE);
        }
        try (S3Remote unset = new S3Remote(usable(initremote("host=127.0.0.1")), new S3Credentials("id", "secret", null))) {
            assertThat(unset.partSize(100L << 20)).isEqualTo(S3Remote.MAX_PART_SIZE);
        }
        try (S3Remote small = new S3Remote(usable(initremote("host=127.0.0.1", "partsize=5MiB")),
                new S3Credentials("id", "secret", null))) {
            long huge = 100_000L * (5L << 20);
            assertThat(small.partSize(huge)).isEqualTo(huge / S3Remote.MAX_PARTS);
        }
    }

    @Test
    void credentialsComeFromTheEnvironmentThenTheCacheThenRemoteLog() throws Exception {
        Map<String, String> embedded = initremote();
        embedded.put("s3creds", Base64.getEncoder().encodeToString(
                "embedded-id\nembedded-secret\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(S3Credentials.find(UUID, initremote(), annexDir, Map.of())).isEmpty();

        var fromLog = S3Credentials.find(UUID, embedded, annexDir, Map.of()).orElseThrow();
        assertThat(fromLog.credentials()).isEqualTo(new S3Credentials("embedded-id", "embedded-secret", null));
        assertThat(fromLog.source()).isEqualTo(S3Credentials.Source.REMOTE_LOG);

        Files.createDirectories(annexDir.resolve("creds"));
        Files.writeString(annexDir.resolve("creds").resolve(UUID.value()), "cached-id\ncached-secret\n");
        var cached = S3Credentials.find(UUID, embedded, annexDir, Map.of("AWS_ACCESS_KEY_ID", "only-half")).orElseThrow();
        assertThat(cached.credentials()).isEqualTo(new S3Credentials("cached-id", "cached-secret", null));
        assertThat(cached.source()).isEqualTo(S3Credentials.Source.CACHE_FILE);

        var env = S3Credentials.find(UUID, embedded, annexDir, Map.of("AWS_ACCESS_KEY_ID", "env-id",
                "AWS_SECRET_ACCESS_KEY", "env-secret", "AWS_SESSION_TOKEN", "token")).orElseThrow();
        assertThat(env.credentials()).isEqualTo(new S3Credentials("env-id", "env-secret", "token"));
        assertThat(env.source()).isEqualTo(S3Credentials.Source.ENVIRONMENT);
        assertThat(env.credentials().toString()).doesNotContain("env-secret");
    }

    @Test
    void aRemoteWithoutCredentialsOrNativeSupportGoesThroughGitAnnexAndAClientIsKeptWhileNothingChanges() {
        try (S3Remotes remotes = new S3Remotes(Map.of())) {
            assertThat(remotes.choose(UUID, "s3", initremote("host=127.0.0.1"), annexDir))
                    .isInstanceOfSatisfying(S3Remotes.Choice.NotNative.class,
                            n -> assertThat(n.reason()).contains("no S3 credentials"));
            assertThat(remotes.choose(UUID, "s3", initremote("chunk=1MiB"), annexDir))
                    .isInstanceOfSatisfying(S3Remotes.Choice.NotNative.class,
                            n -> assertThat(n.reason()).contains("chunked"));
        }
        try (S3Remotes remotes = new S3Remotes(Map.of("AWS_ACCESS_KEY_ID", "id", "AWS_SECRET_ACCESS_KEY", "secret"))) {
            S3Remotes.Choice first = remotes.choose(UUID, "s3", initremote("host=127.0.0.1"), annexDir);
            S3Remotes.Choice again = remotes.choose(UUID, "s3", initremote("host=127.0.0.1"), annexDir);
            S3Remotes.Choice changed = remotes.choose(UUID, "s3", initremote("host=127.0.0.2"), annexDir);
            assertThat(first).isInstanceOf(S3Remotes.Choice.Native.class);
            assertThat(((S3Remotes.Choice.Native) again).remote()).isSameAs(((S3Remotes.Choice.Native) first).remote());
            assertThat(((S3Remotes.Choice.Native) changed).remote()).isNotSameAs(((S3Remotes.Choice.Native) first).remote());
            assertThat(((S3Remotes.Choice.Native) changed).remote().config().endpoint())
                    .isEqualTo(URI.create("http://127.0.0.2:80"));
        }
    }
}
