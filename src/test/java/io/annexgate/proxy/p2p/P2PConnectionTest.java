package io.annexgate.proxy.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import io.annexgate.proxy.p2p.P2PMessage.*;
import io.annexgate.service.PutOutcome;
import io.annexgate.service.RemoveOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class P2PConnectionTest {

    private static final Key KEY = Key.parse("SHA256E-s5--2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    private static final AnnexUuid CLIENT = new AnnexUuid("11111111-0000-0000-0000-000000000001");
    private static final AnnexUuid REMOTE = new AnnexUuid("22222222-0000-0000-0000-000000000002");
    private static final AnnexUuid OTHER = new AnnexUuid("33333333-0000-0000-0000-000000000003");

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** A remote that greets, agrees on min(asked, {@code remoteMax}), then runs {@code rest}. */
    private static ScriptedPeer remote(int remoteMax, ScriptedPeer.Script rest) {
        return new ScriptedPeer(w -> {
            w.send(new AuthSuccess(REMOTE));
            Version asked = (Version) w.receive();
            w.send(new Version(Math.min(asked.number(), remoteMax)));
            rest.run(w);
        });
    }

    private P2PConnection open(ScriptedPeer peer, int maxVersion) throws IOException {
        return P2PConnection.open(peer, CLIENT, REMOTE, maxVersion, Set.of(), Duration.ofSeconds(10), scheduler);
    }

    @Test
    void theClientsVersionBoundsTheOneAskedAndTheRemoteMayAnswerLower() throws Exception {
        try (P2PConnection c = open(remote(4, w -> { }), 2)) {
            assertThat(c.version()).isEqualTo(2);
            assertThat(c.remoteUuid()).isEqualTo(REMOTE);
        }
        try (P2PConnection c = open(remote(1, w -> { }), 4)) {
            assertThat(c.version()).isEqualTo(1);
        }
    }

    @Test
    void anOldRemoteAnsweringErrorToVersionSpeaksVersionZero() throws Exception {
        ScriptedPeer peer = new ScriptedPeer(w -> {
            w.send(new AuthSuccess(REMOTE));
            w.receive();
            w.send(new ErrorMessage("unknown command"));
        });
        try (P2PConnection c = open(peer, 4)) {
            assertThat(c.version()).isZero();
        }
    }

    @Test
    void aRemoteAnsweringAHigherVersionOrTheWrongUuidIsRefused() {
        ScriptedPeer higher = new ScriptedPeer(w -> {
            w.send(new AuthSuccess(REMOTE));
            w.receive();
            w.send(new Version(4));
        });
        assertThatThrownBy(() -> open(higher, 2)).isInstanceOf(P2PProtocolException.class)
                .hasMessageContaining("expected VERSION up to 2");
        assertThat(higher.isAlive()).isFalse();
        ScriptedPeer wrong = new ScriptedPeer(w -> w.send(new AuthSuccess(OTHER)));
        assertThatThrownBy(() -> open(wrong, 4)).hasMessageContaining("expected repository " + REMOTE);
    }

    @Test
    void bypassIsSentFromVersionTwo() throws Exception {
        ScriptedPeer peer = remote(4, w -> assertThat(w.receive()).isEqualTo(new Bypass(List.of(OTHER))));
        P2PConnection.open(peer, CLIENT, REMOTE, 2, Set.of(OTHER), null, scheduler).close();
        peer.done().get(10, TimeUnit.SECONDS);
    }

    @Test
    void checkPresentRemoveAndTimestamp() throws Exception {
        ScriptedPeer peer = remote(4, w -> {
            assertThat(w.receive()).isEqualTo(new CheckPresent(KEY));
            w.send(new Success());
            assertThat(w.receive()).isEqualTo(new CheckPresent(KEY));
            w.send(new Failure());
            assertThat(w.receive()).isEqualTo(new GetTimestamp());
            w.send(new Timestamp(100));
            assertThat(w.receive()).isEqualTo(new RemoveBefore(160, KEY));
            w.send(new SuccessPlus(List.of(OTHER)));
            assertThat(w.receive()).isEqualTo(new Remove(KEY));
            w.send(new ErrorMessage("this repository is append-only; removal denied"));
            assertThat(w.receive()).isEqualTo(new Remove(KEY));
            w.send(new FailurePlus(List.of()));
        });
        try (P2PConnection c = open(peer, 4)) {
            assertThat(c.checkPresent(KEY)).isTrue();
            assertThat(c.checkPresent(KEY)).isFalse();
            assertThat(c.getTimestamp()).isEqualTo(100);
            assertThat(c.removeBefore(160, KEY)).isEqualTo(new RemoveOutcome.Removed(List.of(OTHER)));
            assertThatThrownBy(() -> c.remove(KEY)).isInstanceOf(P2PRemoteException.class).hasMessageContaining("append-only");
            assertThat(c.isBroken()).isFalse();
            assertThat(c.remove(KEY)).isInstanceOf(RemoveOutcome.NotRemoved.class);
        }
        peer.done().get(10, TimeUnit.SECONDS);
    }

    @Test
    void belowVersionThreeRemoveBeforeIsPlainRemoveAndThereIsNoTimestamp() throws Exception {
        ScriptedPeer peer = remote(2, w -> {
            assertThat(w.receive()).isEqualTo(new Remove(KEY));
            w.send(new Success());
        });
        try (P2PConnection c = open(peer, 4)) {
            assertThatThrownBy(c::getTimestamp).isInstanceOf(UnsupportedOperationException.class);
            assertThat(c.removeBefore(5, KEY)).isEqualTo(new RemoveOutcome.Removed(List.of()));
        }
    }

    @Test
    void lockIsHeldUntilUnlockAndBlocksOtherRequests() throws Exception {
        ScriptedPeer peer = remote(4, w -> {
            assertThat(w.receive()).isEqualTo(new LockContent(KEY));
            w.send(new Success());
            assertThat(w.receive()).isEqualTo(new UnlockContent());
            assertThat(w.receive()).isEqualTo(new CheckPresent(KEY));
            w.send(new Success());
            assertThat(w.receive()).isEqualTo(new LockContent(KEY));
            w.send(new Failure());
        });
        try (P2PConnection c = open(peer, 4)) {
            P2PConnection.HeldLock lock = c.lockContent(KEY).orElseThrow();
            assertThatThrownBy(() -> c.checkPresent(KEY)).isInstanceOf(IllegalStateException.class);
            lock.unlock();
            assertThat(lock.lost().toCompletableFuture()).isNotDone();
            assertThat(c.lockContent(KEY)).isEmpty();
        }
        peer.done().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aLockWhoseConnectionEndsIsLostAndTheConnectionBroken() throws Exception {
        ScriptedPeer peer = remote(4, w -> {
            assertThat(w.receive()).isEqualTo(new LockContent(KEY));
            w.send(new Success());
            w.closeQuietly();
        });
        P2PConnection c = open(peer, 4);
        P2PConnection.HeldLock lock = c.lockContent(KEY).orElseThrow();
        lock.lost().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(c.isBroken()).isTrue();
        assertThatThrownBy(lock::unlock).isInstanceOf(BrokenConnectionException.class);
    }

    @Test
    void aLockWhoseRemoteSpeaksUnaskedIsLost() throws Exception {
        ScriptedPeer peer = remote(4, w -> {
            assertThat(w.receive()).isEqualTo(new LockContent(KEY));
            w.send(new Success());
            w.send(new ErrorMessage("going away"));
        });
        try (P2PConnection c = open(peer, 4)) {
            P2PConnection.HeldLock lock = c.lockContent(KEY).orElseThrow();
            lock.lost().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(c.isBroken()).isTrue();
        }
    }

    @Test
    void getStreamsDataAndReportsValidity() throws Exception {
        ScriptedPeer peer = remote(4, w -> {
            assertThat(w.receive()).isEqualTo(new Get(1, AssociatedFile.NONE, KEY));
            w.write(new Data(4));
            w.sendBytes(new ByteArrayInputStream("ello".getBytes(StandardCharsets.UTF_8)), 4);
            w.send(new Valid());
            assertThat(w.receive()).isEqualTo(new Success());
            assertThat(w.receive()).isEqualTo(new Get(0, AssociatedFile.NONE, KEY));
            w.write(new Data(0));
            w.send(new Invalid());
            assertThat(w.receive()).isEqualTo(new Failure());
        });
        try (P2PConnection c = open(peer, 4)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(c.get(KEY, 1, out)).isEqualTo(new P2PConnection.Fetched(4, Validity.VALID));
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("ello");
            assertThat(c.get(KEY, 0, OutputStream.nullOutputStream()))
                    .isEqualTo(new P2PConnection.Fetched(0, Validity.INVALID));
            assertThat(c.isBroken()).isFalse();
        }
        peer.done().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aGetThatEndsShortOrWhoseSinkFailsBreaksTheConnection() throws Exception {
        ScriptedPeer shortData = remote(4, w -> {
            w.receive();
            w.write(new Data(10));
            w.sendBytes(new ByteArrayInputStream(new byte[3]), 3);
            w.closeQuietly();
        });
        P2PConnection c = open(shortData, 4);
        assertThatThrownBy(() -> c.get(KEY, 0, OutputStream.nullOutputStream())).isInstanceOf(IOException.class);
        assertThat(c.isBroken()).isTrue();
        assertThatThrownBy(() -> c.checkPresent(KEY)).isInstanceOf(BrokenConnectionException.class);

        ScriptedPeer fine = remote(4, w -> {
            w.receive();
            w.write(new Data(3));
            w.sendBytes(new ByteArrayInputStream(new byte[3]), 3);
            w.send(new Valid());
        });
        P2PConnection d = open(fine, 4);
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("client went away");
            }
        };
        assertThatThrownBy(() -> d.get(KEY, 0, failing)).isInstanceOf(P2PWire.SinkFailure.class);
        assertThat(d.isBroken()).isTrue();
    }

    @Test
    void putSendsFromTheOffsetTheRemoteAsks() throws Exception {
        ScriptedPeer peer = remote(4, w -> {
            assertThat(w.receive()).isEqualTo(new Put(AssociatedFile.NONE, KEY));
            w.send(new PutFrom(2));
            assertThat(w.receive()).isEqualTo(new Data(3));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            w.receiveBytes(3, got);
            assertThat(got.toString(StandardCharsets.UTF_8)).isEqualTo("llo");
            assertThat(w.receive()).isEqualTo(new Valid());
            w.send(new SuccessPlus(List.of(OTHER)));
            assertThat(w.receive()).isEqualTo(new Put(AssociatedFile.NONE, KEY));
            w.send(new AlreadyHave());
            assertThat(w.receive()).isEqualTo(new Put(AssociatedFile.NONE, KEY));
            w.send(new PutFrom(0));
            assertThat(w.receive()).isEqualTo(new Data(0));
            assertThat(w.receive()).isEqualTo(new Invalid());
            w.send(new Failure());
        });
        try (P2PConnection c = open(peer, 4)) {
            byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
            assertThat(c.put(KEY, 0, new ByteArrayInputStream(hello), 5)).isEqualTo(new PutOutcome.Stored(List.of(OTHER)));
            assertThat(c.put(KEY, 0, new ByteArrayInputStream(hello), 5)).isEqualTo(new PutOutcome.Stored(List.of()));
            // the body starts at byte 3 but the remote wants from 0: it gets nothing and the put fails cleanly
            assertThat(c.put(KEY, 3, new ByteArrayInputStream(hello, 3, 2), 2)).isInstanceOf(PutOutcome.NotStored.class);
            assertThat(c.isBroken()).isFalse();
        }
        peer.done().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aShortUploadOrAnErrorMidTransferBreaksTheConnection() throws Exception {
        ScriptedPeer waiting = remote(4, w -> {
            w.receive();
            w.send(new PutFrom(0));
        });
        P2PConnection c = open(waiting, 4);
        assertThatThrownBy(() -> c.put(KEY, 0, new ByteArrayInputStream(new byte[2]), 5))
                .isInstanceOf(P2PWire.SourceShortException.class);
        assertThat(c.isBroken()).isTrue();

        ScriptedPeer erroring = remote(4, w -> {
            w.receive();
            w.send(new PutFrom(0));
            w.receive();
            w.receiveBytes(5, OutputStream.nullOutputStream());
            w.receive();
            w.send(new ErrorMessage("disk full"));
        });
        P2PConnection d = open(erroring, 4);
        assertThatThrownBy(() -> d.put(KEY, 0, new ByteArrayInputStream(new byte[5]), 5))
                .isInstanceOf(P2PRemoteException.class);
        assertThat(d.isBroken()).isTrue();
    }

    @Test
    void anUnexpectedAnswerBreaksTheConnection() throws Exception {
        ScriptedPeer peer = remote(4, w -> {
            w.receive();
            w.send(new PutFrom(0));
        });
        P2PConnection c = open(peer, 4);
        assertThatThrownBy(() -> c.checkPresent(KEY)).isInstanceOf(P2PProtocolException.class)
                .hasMessageContaining("PUT-FROM 0");
        assertThat(c.isBroken()).isTrue();
    }

    @Test
    void aSilentRemoteTimesOutAndBreaksTheConnection() throws Exception {
        ScriptedPeer silent = remote(4, w -> w.receive());
        P2PConnection c = P2PConnection.open(silent, CLIENT, REMOTE, 4, Set.of(), Duration.ofMillis(200), scheduler);
        assertThatThrownBy(() -> c.checkPresent(KEY)).isInstanceOf(P2PTimeoutException.class);
        assertThat(c.isBroken()).isTrue();
    }
}
