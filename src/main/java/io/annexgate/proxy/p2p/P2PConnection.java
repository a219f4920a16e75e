package io.annexgate.proxy.p2p;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import io.annexgate.proxy.p2p.P2PMessage.AlreadyHave;
import io.annexgate.proxy.p2p.P2PMessage.AlreadyHavePlus;
import io.annexgate.proxy.p2p.P2PMessage.Auth;
import io.annexgate.proxy.p2p.P2PMessage.AuthFailure;
import io.annexgate.proxy.p2p.P2PMessage.AuthSuccess;
import io.annexgate.proxy.p2p.P2PMessage.Bypass;
import io.annexgate.proxy.p2p.P2PMessage.CheckPresent;
import io.annexgate.proxy.p2p.P2PMessage.Data;
import io.annexgate.proxy.p2p.P2PMessage.DataPresent;
import io.annexgate.proxy.p2p.P2PMessage.ErrorMessage;
import io.annexgate.proxy.p2p.P2PMessage.Failure;
import io.annexgate.proxy.p2p.P2PMessage.FailurePlus;
import io.annexgate.proxy.p2p.P2PMessage.Get;
import io.annexgate.proxy.p2p.P2PMessage.GetTimestamp;
import io.annexgate.proxy.p2p.P2PMessage.Invalid;
import io.annexgate.proxy.p2p.P2PMessage.LockContent;
import io.annexgate.proxy.p2p.P2PMessage.Put;
import io.annexgate.proxy.p2p.P2PMessage.PutFrom;
import io.annexgate.proxy.p2p.P2PMessage.Remove;
import io.annexgate.proxy.p2p.P2PMessage.RemoveBefore;
import io.annexgate.proxy.p2p.P2PMessage.Success;
import io.annexgate.proxy.p2p.P2PMessage.SuccessPlus;
import io.annexgate.proxy.p2p.P2PMessage.Timestamp;
import io.annexgate.proxy.p2p.P2PMessage.UnlockContent;
import io.annexgate.proxy.p2p.P2PMessage.Valid;
import io.annexgate.proxy.p2p.P2PMessage.Version;
import io.annexgate.service.PutOffsetOutcome;
import io.annexgate.service.PutOutcome;
import io.annexgate.service.RemoveOutcome;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The client side of one P2P protocol connection: authentication and version negotiation when
 * opened, then one method per action, used by one thread at a time. Any failure that leaves the
 * protocol state unknown (I/O error, timeout, malformed or unexpected answer, ERROR or a short
 * source mid-transfer) closes the connection and marks it {@linkplain #isBroken() broken}; an
 * ERROR answer to a whole request does not.
 */
public final class P2PConnection implements ReusableConnection {

    /** The newest protocol version this client speaks. */
    public static final int MAX_VERSION = 4;

    private enum State { READY, LOCKED, TRANSFERRING, BROKEN }

    private final P2PChannel channel;
    private final P2PWire wire;
    private final Watchdog watchdog;
    private final Duration timeout;
    private AnnexUuid remoteUuid;
    private int version;
    private volatile State state = State.READY;
    private volatile boolean timedOut;

    private P2PConnection(P2PChannel channel, Duration timeout, ScheduledExecutorService scheduler) {
        this.channel = channel;
        this.wire = new P2PWire(channel.input(), channel.output());
        this.timeout = timeout;
        this.watchdog = timeout == null || timeout.isZero() ? null
                : new Watchdog(scheduler, timeout.toNanos(), this::expire);
    }

    /**
     * Opens a connection over {@code channel}: AUTH if the channel has a token, AUTH-SUCCESS
     * (checked against {@code expectedRemote}), then VERSION with {@code maxVersion} (the remote may
     * answer lower; an old remote answering ERROR means version 0), then BYPASS when the version
     * has it and the set is not empty. The channel is closed if any of that fails.
     *
     * @param timeout how long to wait on the remote before giving up (null or zero: forever)
     */
    public static P2PConnection open(P2PChannel channel, AnnexUuid clientUuid, AnnexUuid expectedRemote,
            int maxVersion, Set<AnnexUuid> bypass, Duration timeout, ScheduledExecutorService scheduler)
            throws IOException {
        if (maxVersion < 0 || maxVersion > MAX_VERSION) {
            throw new IllegalArgumentException("protocol version " + maxVersion);
        }
        P2PConnection c = new P2PConnection(channel, timeout, scheduler);
        try {
            c.handshake(clientUuid, expectedRemote, maxVersion, bypass);
            return c;
        } catch (IOException | RuntimeException e) {
            c.markBroken();
            String said = channel.diagnostics();
            IOException failure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            if (!said.isEmpty()) {
                failure = new IOException("cannot open P2P connection to " + channel.description() + ": "
                        + e.getMessage() + ": " + said, e);
            }
            throw c.timedOut ? new P2PTimeoutException("no answer from " + channel.description()
                    + " within " + timeout, e) : failure;
        }
    }

    private void handshake(AnnexUuid clientUuid, AnnexUuid expectedRemote, int maxVersion, Set<AnnexUuid> bypass)
            throws IOException {
        Optional<String> token = channel.authToken();
        if (token.isPresent()) {
            wire.send(new Auth(clientUuid, token.get()));
        }
        switch (answer()) {
            case AuthSuccess(AnnexUuid uuid) when uuid.equals(expectedRemote) -> remoteUuid = uuid;
            case AuthSuccess(AnnexUuid uuid) -> throw new P2PProtocolException(
                    "expected repository " + expectedRemote + " but reached " + uuid);
            case AuthFailure f -> throw new IOException("authentication refused by " + channel.description());
            case ErrorMessage(String m) -> throw new P2PRemoteException(m);
            case P2PMessage m -> throw unexpected(m, "AUTH-SUCCESS");
        }
        wire.send(new Version(maxVersion));
        switch (answer()) {
            case Version(int v) when v <= maxVersion -> version = v;
            case ErrorMessage e -> version = 0;
            case P2PMessage m -> throw unexpected(m, "VERSION up to " + maxVersion);
        }
        if (version >= 2 && !bypass.isEmpty()) {
            TreeSet<String> sorted = new TreeSet<>();
            bypass.forEach(u -> sorted.add(u.value()));
            wire.send(new Bypass(sorted.stream().map(AnnexUuid::new).toList()));
        }
    }

    /** The protocol version both sides use: at most the one asked for. */
    public int version() {
        return version;
    }

    /** The uuid the remote said it has (equal to the expected one). */
    public AnnexUuid remoteUuid() {
        return remoteUuid;
    }

    @Override
    public boolean isBroken() {
        return state == State.BROKEN || !channel.isAlive();
    }

    public String description() {
        return channel.description();
    }

    /** CHECKPRESENT: whether the remote has the content. */
    public boolean checkPresent(Key key) throws IOException {
        ready();
        try {
            wire.send(new CheckPresent(key));
            return switch (answer()) {
                case Success s -> true;
                case Failure f -> false;
                case ErrorMessage(String m) -> throw new P2PRemoteException(m);
                case P2PMessage m -> throw unexpected(m, "SUCCESS or FAILURE");
            };
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    /**
     * LOCKCONTENT: the lock while the remote holds it (until {@link HeldLock#unlock()}), or empty
     * when it could not lock. No other request may be made while a lock is held. The remote holds
     * the lock only as long as this connection lives, so the connection is watched meanwhile: if it
     * ends (the remote process died, the network went), or the remote says anything unasked, the
     * connection breaks and the lock is {@linkplain HeldLock#lost() lost}.
     */
    public Optional<HeldLock> lockContent(Key key) throws IOException {
        ready();
        try {
            wire.send(new LockContent(key));
            return switch (answer()) {
                case Success s -> {
                    state = State.LOCKED;
                    HeldLock lock = new HeldLock(key);
                    Thread.ofVirtual().name("p2p-lock-" + channel.description()).start(lock::watch);
                    yield Optional.of(lock);
                }
                case Failure f -> Optional.empty();
                case ErrorMessage(String m) -> throw new P2PRemoteException(m);
                case P2PMessage m -> throw unexpected(m, "SUCCESS or FAILURE");
            };
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    /** REMOVE: content removed (or never there), or refused, with the other uuids the remote names. */
    public RemoveOutcome remove(Key key) throws IOException {
        return removeWith(new Remove(key));
    }

    /**
     * REMOVE-BEFORE with the remote's own monotonic {@code timestamp}; a remote below version 3
     * gets plain REMOVE, as git-annex does for peers too old for it.
     */
    public RemoveOutcome removeBefore(long timestamp, Key key) throws IOException {
        return removeWith(version >= 3 ? new RemoveBefore(timestamp, key) : new Remove(key));
    }

    private RemoveOutcome removeWith(P2PMessage request) throws IOException {
        ready();
        try {
            wire.send(request);
            return switch (answer()) {
                case Success s -> new RemoveOutcome.Removed(List.of());
                case SuccessPlus(List<AnnexUuid> plus) -> new RemoveOutcome.Removed(plus);
                case Failure f -> new RemoveOutcome.NotRemoved("remote refused", List.of());
                case FailurePlus(List<AnnexUuid> plus) -> new RemoveOutcome.NotRemoved("remote refused", plus);
                case ErrorMessage(String m) -> throw new P2PRemoteException(m);
                case P2PMessage m -> throw unexpected(m, "SUCCESS or FAILURE");
            };
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    /** GETTIMESTAMP: the remote's monotonic clock in seconds (version 3 and later). */
    public long getTimestamp() throws IOException {
        if (version < 3) {
            throw new UnsupportedOperationException("remote speaks protocol version " + version
                    + "; GETTIMESTAMP needs 3");
        }
        ready();
        try {
            wire.send(new GetTimestamp());
            return switch (answer()) {
                case Timestamp(long seconds) -> seconds;
                case ErrorMessage(String m) -> throw new P2PRemoteException(m);
                case P2PMessage m -> throw unexpected(m, "TIMESTAMP");
            };
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    /**
     * GET from {@code offset}: the remote's DATA announcement, whose bytes must then be taken with
     * {@link Download#transferTo}. Closing the download without transferring breaks the connection.
     */
    public Download get(Key key, long offset) throws IOException {
        ready();
        try {
            wire.send(new Get(offset, AssociatedFile.NONE, key));
            return switch (answer()) {
                case Data(long length) -> {
                    state = State.TRANSFERRING;
                    yield new Download(length);
                }
                case ErrorMessage(String m) -> throw new P2PRemoteException(m);
                case P2PMessage m -> throw unexpected(m, "DATA");
            };
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    /** GET from {@code offset} straight into {@code out}; returns the bytes and their validity. */
    public Fetched get(Key key, long offset, OutputStream out) throws IOException {
        try (Download d = get(key, offset)) {
            Validity v = d.transferTo(out);
            return new Fetched(d.length(), v);
        }
    }

    /** What a GET delivered: {@code length} bytes; DATA 0 with INVALID means the remote lacks the content. */
    public record Fetched(long length, Validity validity) { }

    /**
     * PUT: sends the content when the remote asks for it. {@code body} holds the content from
     * {@code offset} on, {@code length} bytes (the rest of the object). If the remote asks from an
     * offset this body cannot supply, it gets an empty invalid DATA and the outcome is not stored.
     * A body that ends short leaves the remote waiting for bytes: the connection breaks.
     */
    public PutOutcome put(Key key, long offset, InputStream body, long length) throws IOException {
        ready();
        try {
            wire.send(new Put(AssociatedFile.NONE, key));
            return switch (answer()) {
                case AlreadyHave a -> new PutOutcome.Stored(List.of());
                case AlreadyHavePlus(List<AnnexUuid> plus) -> new PutOutcome.Stored(plus);
                case PutFrom(long from) -> sendFrom(from, offset, body, length);
                case ErrorMessage(String m) -> throw new P2PRemoteException(m);
                case P2PMessage m -> throw unexpected(m, "PUT-FROM or ALREADY-HAVE");
            };
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    private PutOutcome sendFrom(long from, long offset, InputStream body, long length) throws IOException {
        state = State.TRANSFERRING;
        long skip = from - offset;
        if (skip < 0 || skip > length) {
            PutOutcome ignored = sendEmptyInvalid();
            return new PutOutcome.NotStored("remote wants the content from byte " + from
                    + ", the upload starts at " + offset, ignored.plusUuids());
        }
        try {
            body.skipNBytes(skip);
        } catch (IOException e) {
            PutOutcome ignored = sendEmptyInvalid();
            return new PutOutcome.NotStored("upload ended before byte " + from, ignored.plusUuids());
        }
        long count = length - skip;
        wire.write(new Data(count));
        arm();
        wire.sendBytes(new ProgressInputStream(body), count);
        if (version >= 1) {
            wire.send(new Valid());
        }
        return putAnswer();
    }

    private PutOutcome sendEmptyInvalid() throws IOException {
        wire.write(new Data(0));
        if (version >= 1) {
            wire.write(new Invalid());
        }
        wire.flush();
        return putAnswer();
    }

    private PutOutcome putAnswer() throws IOException {
        PutOutcome outcome = switch (answer()) {
            case Success s -> new PutOutcome.Stored(List.of());
            case SuccessPlus(List<AnnexUuid> plus) -> new PutOutcome.Stored(plus);
            case Failure f -> new PutOutcome.NotStored("remote did not store it", List.of());
            case FailurePlus(List<AnnexUuid> plus) -> new PutOutcome.NotStored("remote did not store it", plus);
            case ErrorMessage(String m) -> {
                markBroken();
                throw new P2PRemoteException(m);
            }
            case P2PMessage m -> throw unexpected(m, "SUCCESS or FAILURE");
        };
        state = State.READY;
        return outcome;
    }

    /**
     * PUT with DATA-PRESENT (version 4 and later): the content reached the remote another way and
     * it checks that it is there.
     */
    public PutOutcome putDataPresent(Key key) throws IOException {
        if (version < 4) {
            throw new UnsupportedOperationException("remote speaks protocol version " + version
                    + "; DATA-PRESENT needs 4");
        }
        ready();
        try {
            wire.send(new Put(AssociatedFile.NONE, key));
            return switch (answer()) {
                case AlreadyHave a -> new PutOutcome.Stored(List.of());
                case AlreadyHavePlus(List<AnnexUuid> plus) -> new PutOutcome.Stored(plus);
                case PutFrom p -> {
                    state = State.TRANSFERRING;
                    wire.send(new DataPresent());
                    yield putAnswer();
                }
                case ErrorMessage(String m) -> throw new P2PRemoteException(m);
                case P2PMessage m -> throw unexpected(m, "PUT-FROM or ALREADY-HAVE");
            };
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    /** Where a put would start: PUT, then (when asked for data) an empty invalid DATA, as git-annex does. */
    public PutOffsetOutcome putOffset(Key key) throws IOException {
        ready();
        try {
            wire.send(new Put(AssociatedFile.NONE, key));
            return switch (answer()) {
                case AlreadyHave a -> new PutOffsetOutcome.AlreadyHave(List.of());
                case AlreadyHavePlus(List<AnnexUuid> plus) -> new PutOffsetOutcome.AlreadyHave(plus);
                case PutFrom(long from) -> {
                    state = State.TRANSFERRING;
                    sendEmptyInvalid();
                    yield new PutOffsetOutcome.Offset(from);
                }
                case ErrorMessage(String m) -> throw new P2PRemoteException(m);
                case P2PMessage m -> throw unexpected(m, "PUT-FROM or ALREADY-HAVE");
            };
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    /** Closes the connection (the remote sees end of input); never throws. */
    @Override
    public void close() {
        state = State.BROKEN;
        if (watchdog != null) {
            watchdog.disarm();
        }
        channel.close();
    }

    private void ready() throws BrokenConnectionException {
        State s = state;
        if (s == State.BROKEN) {
            throw new BrokenConnectionException("P2P connection to " + channel.description() + " is broken");
        }
        if (s != State.READY) {
            throw new IllegalStateException("P2P connection is busy: " + s);
        }
    }

    /** Reads the next message with the watchdog running. */
    private P2PMessage answer() throws IOException {
        arm();
        try {
            return wire.receive();
        } finally {
            disarm();
        }
    }

    private void arm() {
        if (watchdog != null) {
            watchdog.arm();
        }
    }

    private void disarm() {
        if (watchdog != null) {
            watchdog.disarm();
        }
    }

    private void expire() {
        timedOut = true;
        markBroken();
    }

    private void markBroken() {
        state = State.BROKEN;
        channel.close();
    }

    /**
     * Classifies a failure: an ERROR answer to a whole request leaves the connection as it was; a
     * usage error changes nothing; anything else breaks it.
     */
    private IOException failed(Exception e) {
        if (e instanceof P2PRemoteException remote && state != State.BROKEN) {
            if (state == State.READY) {
                return remote;
            }
        }
        if (e instanceof UnsupportedOperationException u) {
            throw u;
        }
        markBroken();
        if (timedOut) {
            return new P2PTimeoutException("no progress from " + channel.description() + " within " + timeout, e);
        }
        if (e instanceof EOFException) {
            String said = channel.diagnostics();
            return new EOFException(channel.description() + " closed the connection"
                    + (said.isEmpty() ? "" : ": " + said));
        }
        return e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }

    private static P2PProtocolException unexpected(P2PMessage got, String expected) {
        return new P2PProtocolException("expected " + expected + " but got " + got.toLine());
    }

    /**
     * A lock the remote holds until {@link #unlock()}; closing unlocks. While it is held a virtual
     * thread waits on the wire: the remote says nothing then, so whatever comes (the end of the
     * connection, above all) means the lock is gone. Unlocking sends UNLOCKCONTENT and, to take the
     * wire back from that thread, a CHECKPRESENT whose answer it reads; then the connection is ready
     * for the next request.
     */
    public final class HeldLock implements AutoCloseable {
        private final Key key;
        private final CompletableFuture<Void> lost = new CompletableFuture<>();
        /** What the watching thread read: the answer to the CHECKPRESENT after UNLOCKCONTENT, or why it could not. */
        private final CompletableFuture<P2PMessage> watched = new CompletableFuture<>();
        private volatile boolean unlocking;
        private boolean released;

        private HeldLock(Key key) {
            this.key = key;
        }

        public Key key() {
            return key;
        }

        /** Completes when the lock went away without {@link #unlock()}: the connection holding it ended or broke. */
        public CompletionStage<Void> lost() {
            return lost;
        }

        private void watch() {
            try {
                watched.complete(wire.receive());
            } catch (IOException | RuntimeException e) {
                watched.completeExceptionally(e);
            }
            if (!unlocking) {
                markBroken();
                lost.complete(null);
            }
        }

        /** UNLOCKCONTENT (no answer); the connection is ready for the next request. */
        public void unlock() throws IOException {
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
            }
            unlocking = true;
            if (state != State.LOCKED || watched.isDone()) {
                markBroken();
                throw new BrokenConnectionException("the connection holding the lock on " + key + " is broken");
            }
            P2PMessage answer;
            arm();
            try {
                wire.write(new UnlockContent());
                wire.send(new CheckPresent(key));
                answer = watched.get();
            } catch (ExecutionException e) {
                throw failed(e.getCause() instanceof Exception cause ? cause : e);
            } catch (IOException e) {
                throw failed(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                markBroken();
                throw new InterruptedIOException("interrupted unlocking " + key);
            } finally {
                disarm();
            }
            switch (answer) {
                case Success s -> state = State.READY;
                case Failure f -> state = State.READY;
                case P2PMessage m -> throw failed(unexpected(m, "SUCCESS or FAILURE after UNLOCKCONTENT"));
            }
        }

        @Override
        public void close() throws IOException {
            unlock();
        }
    }

    /** The content a GET announced; {@link #transferTo} takes it off the wire. */
    public final class Download implements AutoCloseable {
        private final long length;
        private boolean done;

        private Download(long length) {
            this.length = length;
        }

        /** The bytes the remote announced (from the offset asked for). */
        public long length() {
            return length;
        }

        /**
         * Copies the announced bytes into {@code out}, reads the validity (v1+) and tells the remote
         * SUCCESS (all passed on, not invalid) or FAILURE. If {@code out} fails the connection breaks.
         */
        public Validity transferTo(OutputStream out) throws IOException {
            if (done) {
                throw new IllegalStateException("already transferred");
            }
            done = true;
            try {
                arm();
                wire.receiveBytes(length, new ProgressOutputStream(out));
                Validity validity = Validity.UNCHECKED;
                if (version >= 1) {
                    validity = switch (answer()) {
                        case Valid v -> Validity.VALID;
                        case Invalid i -> Validity.INVALID;
                        case P2PMessage m -> throw unexpected(m, "VALID or INVALID");
                    };
                }
                wire.send(validity == Validity.INVALID ? new Failure() : new Success());
                state = State.READY;
                return validity;
            } catch (IOException | RuntimeException e) {
                throw failed(e);
            } finally {
                disarm();
            }
        }

        /** Breaks the connection if the bytes were never taken. */
        @Override
        public void close() {
            if (!done) {
                done = true;
                markBroken();
            }
        }
    }

    /** Restarts the watchdog whenever bytes move. */
    private final class ProgressInputStream extends InputStream {
        private final InputStream in;

        ProgressInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            touch();
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            touch();
            return n;
        }
    }

    private final class ProgressOutputStream extends OutputStream {
        private final OutputStream out;

        ProgressOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            touch();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            touch();
        }
    }

    private void touch() {
        if (watchdog != null) {
            watchdog.touch();
        }
    }
}
