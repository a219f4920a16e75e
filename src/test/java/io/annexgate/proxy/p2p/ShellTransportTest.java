package io.annexgate.proxy.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import io.annexgate.service.PutOffsetOutcome;
import io.annexgate.service.PutOutcome;
import io.annexgate.service.RemoveOutcome;
import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.Command;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The P2P client against a real repository through git-annex-shell p2pstdio. */
class ShellTransportTest {

    private static final AnnexUuid CLIENT = new AnnexUuid("5e1f0000-aaaa-bbbb-cccc-000000000001");

    @TempDir
    static Path tmp;

    private static AnnexRepo repo;
    private static ShellTransport transport;
    private static final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    static void makeRepository() {
        repo = AnnexRepo.init(tmp, "remote");
        transport = new ShellTransport(repo.dir(), new AnnexUuid(repo.uuid()), "git-annex-shell", Command.environment());
    }

    @AfterAll
    static void stop() {
        scheduler.shutdownNow();
    }

    private static P2PConnection connect(int version) throws Exception {
        return P2PConnection.open(transport.open(CLIENT), CLIENT, transport.remoteUuid(), version, Set.of(),
                Duration.ofSeconds(60), scheduler);
    }

    private static Key keyOf(byte[] content, String extension) throws Exception {
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        return Key.of("SHA256E", content.length, hex + extension);
    }

    @Test
    void negotiatesTheVersionAskedAndChecksTheRepositoryUuid() throws Exception {
        try (P2PConnection c = connect(4)) {
            assertThat(c.version()).isEqualTo(4);
            assertThat(c.remoteUuid()).isEqualTo(transport.remoteUuid());
        }
        try (P2PConnection c = connect(2)) {
            assertThat(c.version()).isEqualTo(2);
        }
        ShellTransport wrong = new ShellTransport(repo.dir(), new AnnexUuid("00000000-0000-0000-0000-00000000dead"),
                "git-annex-shell", Command.environment());
        assertThatThrownBy(() -> P2PConnection.open(wrong.open(CLIENT), CLIENT, wrong.remoteUuid(), 4, Set.of(),
                Duration.ofSeconds(60), scheduler)).hasMessageContaining("expected repository UUID");
    }

    @Test
    void checkPresentAndGetOfExistingContent() throws Exception {
        byte[] content = "hello through git-annex-shell\n".getBytes(StandardCharsets.UTF_8);
        Key key = Key.parse(repo.add("existing.txt", content));
        try (P2PConnection c = connect(4)) {
            assertThat(c.checkPresent(key)).isTrue();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(c.get(key, 0, out)).isEqualTo(new P2PConnection.Fetched(content.length, Validity.VALID));
            assertThat(out.toByteArray()).isEqualTo(content);
            ByteArrayOutputStream tail = new ByteArrayOutputStream();
            assertThat(c.get(key, 6, tail).length()).isEqualTo(content.length - 6);
            assertThat(tail.toString(StandardCharsets.UTF_8)).isEqualTo("through git-annex-shell\n");
            Key missing = keyOf("nobody has this".getBytes(StandardCharsets.UTF_8), ".txt");
            assertThat(c.checkPresent(missing)).isFalse();
            assertThat(c.get(missing, 0, OutputStream0.INSTANCE).validity()).isEqualTo(Validity.INVALID);
            assertThat(c.isBroken()).isFalse();
        }
    }

    @Test
    void putThenGetThenLockThenRemove() throws Exception {
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + i / 1000);
        }
        Key key = keyOf(content, ".bin");
        try (P2PConnection c = connect(4)) {
            assertThat(c.putOffset(key)).isEqualTo(new PutOffsetOutcome.Offset(0));
            assertThat(c.put(key, 0, new ByteArrayInputStream(content), content.length))
                    .isInstanceOf(PutOutcome.Stored.class);
            assertThat(repo.hasContent(key.serialize())).isTrue();
            assertThat(c.put(key, 0, new ByteArrayInputStream(content), content.length))
                    .isInstanceOf(PutOutcome.Stored.class);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(c.get(key, 0, out).validity()).isEqualTo(Validity.VALID);
            assertThat(out.toByteArray()).isEqualTo(content);

            P2PConnection.HeldLock lock = c.lockContent(key).orElseThrow();
            P2PConnection other = connect(4);
            // git-annex-shell gives up (exits) on a remove of locked content: that connection is gone
            assertThatThrownBy(() -> other.remove(key)).isInstanceOf(EOFException.class)
                    .hasMessageContaining("content is locked");
            assertThat(other.isBroken()).isTrue();
            assertThat(repo.hasContent(key.serialize())).isTrue();
            lock.unlock();
            try (P2PConnection again = connect(4)) {
                assertThat(again.remove(key)).isInstanceOf(RemoveOutcome.Removed.class);
            }
            assertThat(repo.hasContent(key.serialize())).isFalse();
            assertThat(c.checkPresent(key)).isFalse();
            assertThat(c.lockContent(key)).isEmpty();
        }
    }

    @Test
    void removeBeforeHonoursTheRemotesTimestamp() throws Exception {
        Key key = Key.parse(repo.add("timed.txt", "remove me in time\n".getBytes(StandardCharsets.UTF_8)));
        try (P2PConnection c = connect(4)) {
            long now = c.getTimestamp();
            assertThat(c.removeBefore(Math.max(0, now - 1), key)).isInstanceOf(RemoveOutcome.NotRemoved.class);
            assertThat(repo.hasContent(key.serialize())).isTrue();
            assertThat(c.removeBefore(c.getTimestamp() + 60, key)).isInstanceOf(RemoveOutcome.Removed.class);
            assertThat(repo.hasContent(key.serialize())).isFalse();
        }
    }

    @Test
    void aPutThatEndsShortBreaksTheConnectionAndTheRepositoryKeepsNothing() throws Exception {
        byte[] content = "a body that will not arrive whole".getBytes(StandardCharsets.UTF_8);
        Key key = keyOf(content, ".txt");
        P2PConnection c = connect(4);
        assertThatThrownBy(() -> c.put(key, 0, new ByteArrayInputStream(content, 0, 5), content.length))
                .isInstanceOf(P2PWire.SourceShortException.class);
        assertThat(c.isBroken()).isTrue();
        assertThat(repo.hasContent(key.serialize())).isFalse();
    }

    /** Discards bytes. */
    private static final class OutputStream0 extends java.io.OutputStream {
        static final OutputStream0 INSTANCE = new OutputStream0();

        @Override
        public void write(int b) {
        }
    }
}
