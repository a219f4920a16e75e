package io.annexgate.proxy.special;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexgate.protocol.Key;
import io.annexgate.proxy.TrustedCertificates;
import io.annexgate.testing.Command;
import io.annexgate.testing.Keys;
import io.annexgate.testing.ProxiedRoundTrip;
import io.annexgate.testing.S3Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jclouds.blobstore.domain.Blob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link S3Remote} against a real S3 API server (s3proxy in this JVM), without git-annex. */
class S3RemoteTest {

    static final String BUCKET = "s3remote-test";
    static S3Server s3;
    static S3Remote remote;

    @BeforeAll
    static void start() {
        s3 = S3Server.start();
        s3.createBucket(BUCKET);
        remote = new S3Remote(config("partsize=5MiB", "x-amz-meta-origin=annexgate"), new S3Credentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY, null));
    }

    @AfterAll
    static void stop() {
        remote.close();
        s3.close();
    }

    static S3Config config(String... extra) {
        Map<String, String> c = new java.util.HashMap<>(Map.of("type", "S3", "encryption", "none",
                "bucket", BUCKET, "host", "127.0.0.1", "port", Integer.toString(s3.port()),
                "protocol", "http", "requeststyle", "path", "fileprefix", "p/"));
        for (String e : extra) {
            c.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        }
        return ((S3Config.Parsed.Usable) S3Config.parse(c)).config();
    }

    static byte[] bytes(int n, long seed) {
        return ProxiedRoundTrip.bytes(n, seed);
    }

    static Key key(byte[] content) {
        return Key.parse(Keys.sha256e(content, ".bin"));
    }

    static Blob blob(Key key) {
        return s3.blobStore().getBlob(BUCKET, "p/" + key.serialize());
    }

    static byte[] stored(Key key) throws IOException {
        try (InputStream in = blob(key).getPayload().openStream()) {
            return in.readAllBytes();
        }
    }

    static Set<String> pendingUploads() {
        return s3.pendingUploads(BUCKET);
    }

    static byte[] read(SpecialRemote.StoredObject object, long offset) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WritableByteChannel channel = Channels.newChannel(out);
        long sent = object.transferTo(offset, buffer -> {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
        assertThat(sent).isEqualTo(out.size());
        return out.toByteArray();
    }

    @Test
    void smallContentIsInvisibleUntilCommittedThenReadCheckedAndRemoved() throws Exception {
        byte[] content = bytes(100_000, 1);
        Key key = key(content);
        try (SpecialRemote.Storing storing = remote.store(key, content.length)) {
            storing.out().write(content);
            assertThat(remote.checkPresent(key)).isFalse();
            storing.commit();
        }
        assertThat(stored(key)).isEqualTo(content);
        assertThat(blob(key).getMetadata().getUserMetadata()).containsEntry("origin", "annexgate");
        assertThat(remote.checkPresent(key)).isTrue();
        try (SpecialRemote.StoredObject object = remote.retrieve(key).orElseThrow()) {
            assertThat(object.size()).isEqualTo(content.length);
            assertThat(read(object, 0)).isEqualTo(content);
            assertThat(read(object, 99_000)).isEqualTo(java.util.Arrays.copyOfRange(content, 99_000, 100_000));
            assertThat(read(object, content.length)).isEmpty();
        }
        assertThat(remote.remove(key)).isTrue();
        assertThat(remote.checkPresent(key)).isFalse();
        assertThat(remote.retrieve(key)).isEmpty();
        assertThat(remote.remove(key)).isTrue();
    }

    @Test
    void largeContentStreamsInPartsAndAppearsOnlyAtCommit() throws Exception {
        byte[] content = bytes(11 * 1024 * 1024 + 7, 2);
        Key key = key(content);
        try (SpecialRemote.Storing storing = remote.store(key, content.length)) {
            assertThat(pendingUploads()).contains("p/" + key.serialize());
            for (int at = 0; at < content.length; at += 100_000) {
                storing.out().write(content, at, Math.min(100_000, content.length - at));
            }
            assertThat(remote.checkPresent(key)).isFalse();
            storing.commit();
        }
        assertThat(pendingUploads()).doesNotContain("p/" + key.serialize());
        assertThat(stored(key)).isEqualTo(content);
        // a multipart object's ETag counts its parts: 5 MiB, 5 MiB, 1 MiB + 7
        assertThat(blob(key).getMetadata().getETag()).contains("-3");
        assertThat(blob(key).getMetadata().getUserMetadata()).containsEntry("origin", "annexgate");
        try (SpecialRemote.StoredObject object = remote.retrieve(key).orElseThrow()) {
            assertThat(read(object, 6_000_000)).isEqualTo(java.util.Arrays.copyOfRange(content, 6_000_000, content.length));
        }
        remote.remove(key);
    }

    @Test
    void closingWithoutCommitLeavesNothing() throws Exception {
        for (int size : new int[] {1000, 7 * 1024 * 1024}) {
            byte[] content = bytes(size, 3);
            Key key = key(content);
            try (SpecialRemote.Storing storing = remote.store(key, content.length)) {
                storing.out().write(content, 0, size - 10);
            }
            assertThat(remote.checkPresent(key)).isFalse();
            assertThat(pendingUploads()).doesNotContain("p/" + key.serialize());
            try (SpecialRemote.Storing storing = remote.store(key, content.length)) {
                storing.out().write(content);
            }
            assertThat(remote.checkPresent(key)).isFalse();
            assertThat(pendingUploads()).doesNotContain("p/" + key.serialize());
        }
    }

    /**
     * Memory follows the bytes that arrive, not the length announced: a put announcing the largest
     * single PUT and sending 10 bytes takes one small chunk. Measured as the heap this thread
     * allocates (the JVM's per-thread counter, exact for what this thread does).
     */
    @Test
    void aPutAnnouncingFiveMebibytesAndSendingTenBytesTakesLittleMemory() throws Exception {
        Key key = key(bytes(S3Remote.SINGLE_PUT_LIMIT, 7));
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 3; round++) {   // the first rounds load classes
            long before = threads.getCurrentThreadAllocatedBytes();
            try (SpecialRemote.Storing storing = remote.store(key, S3Remote.SINGLE_PUT_LIMIT)) {
                storing.out().write(new byte[10]);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 2) {
                assertThat(allocated).isLessThan(S3Remote.SINGLE_PUT_LIMIT / 8);
            }
        }
        assertThat(remote.checkPresent(key)).isFalse();
    }

    @Test
    void aPutThatDoesNotFitThePutMemoryIsStreamedAsAMultipartUpload() throws Exception {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        S3PutMemory memory = new S3PutMemory(1024 * 1024, meters);
        byte[] held = bytes(1024 * 1024, 8);
        byte[] streamed = bytes(100_000, 9);
        try (S3Remote budgeted = new S3Remote(config(), new S3Credentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY, null),
                TrustedCertificates.jdk(), memory)) {
            try (SpecialRemote.Storing first = budgeted.store(key(held), held.length);
                    SpecialRemote.Storing second = budgeted.store(key(streamed), streamed.length)) {
                assertThat(pendingUploads()).doesNotContain("p/" + key(held).serialize())
                        .contains("p/" + key(streamed).serialize());
                assertThat(meters.get("annexgate.s3.put.memory.reserved").gauge().value()).isEqualTo(1024 * 1024);
                assertThat(meters.get("annexgate.s3.put.memory.exhausted").counter().count()).isEqualTo(1);
                first.out().write(held);
                second.out().write(streamed);
                first.commit();
                second.commit();
            }
            assertThat(memory.reserved()).isZero();
            assertThat(stored(key(held))).isEqualTo(held);
            assertThat(stored(key(streamed))).isEqualTo(streamed);
        }
    }

    @Test
    void aCommitOfTooFewBytesFailsAndMoreThanAnnouncedIsRefused() throws Exception {
        byte[] content = bytes(6 * 1024 * 1024, 4);
        Key key = key(content);
        try (SpecialRemote.Storing storing = remote.store(key, content.length)) {
            storing.out().write(content, 0, 1000);
            assertThatThrownBy(storing::commit).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> storing.out().write(new byte[content.length])).isInstanceOf(IOException.class);
        }
        assertThat(remote.checkPresent(key)).isFalse();
        assertThat(pendingUploads()).doesNotContain("p/" + key.serialize());
    }

    @Test
    void anHttpsEndpointIsTrustedThroughTheCaFile(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("s3.p12");
        Path ca = dir.resolve("ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Command.ok(dir, keytool, "-genkeypair", "-alias", "s3", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=IP:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", "changeit", "-keypass", "changeit");
        Command.ok(dir, keytool, "-exportcert", "-rfc", "-alias", "s3", "-keystore", keyStore.toString(),
                "-storepass", "changeit", "-file", ca.toString());
        byte[] content = bytes(1000, 6);
        Key key = key(content);
        S3Credentials credentials = new S3Credentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY, null);
        try (S3Server tls = S3Server.startHttps(keyStore, "changeit")) {
            tls.createBucket(BUCKET);
            S3Config https = config("port=" + tls.securePort(), "protocol=https");
            try (S3Remote untrusting = new S3Remote(https, credentials)) {
                assertThatThrownBy(() -> untrusting.checkPresent(key)).isInstanceOf(IOException.class);
            }
            try (S3Remote trusting = new S3Remote(https, credentials, TrustedCertificates.with(Optional.of(ca)),
                    S3PutMemory.unmetered(S3PutMemory.DEFAULT_BUDGET))) {
                try (SpecialRemote.Storing storing = trusting.store(key, content.length)) {
                    storing.out().write(content);
                    storing.commit();
                }
                assertThat(trusting.checkPresent(key)).isTrue();
            }
        }
    }

    @Test
    void wrongCredentialsAreAnErrorNotAbsence() {
        try (S3Remote wrong = new S3Remote(config(), new S3Credentials(S3Server.ACCESS_KEY, "not-the-secret", null))) {
            Key key = key(bytes(10, 5));
            assertThatThrownBy(() -> wrong.checkPresent(key)).isInstanceOf(IOException.class)
                    .hasMessageContaining("S3 bucket " + BUCKET);
            assertThatThrownBy(() -> wrong.remove(key)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> {
                try (SpecialRemote.Storing storing = wrong.store(key, 10)) {
                    storing.out().write(new byte[10]);
                    storing.commit();
                }
            }).isInstanceOf(IOException.class);
        }
    }
}
