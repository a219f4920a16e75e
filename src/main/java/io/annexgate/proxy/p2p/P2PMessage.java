package io.annexgate.proxy.p2p;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One message of git-annex's P2P line protocol ({@code doc/design/p2p_protocol.mdwn}); {@link #toLine()}
 * is its serialization without the newline, {@link P2PMessageParser} the reverse.
 */
public sealed interface P2PMessage {

    /** The line sent on the wire, without the trailing newline. */
    String toLine();

    private static String withUuids(String command, List<AnnexUuid> uuids) {
        return uuids.isEmpty() ? command
                : command + " " + uuids.stream().map(AnnexUuid::value).collect(Collectors.joining(" "));
    }

    private static long nonNegative(long n, String what) {
        if (n < 0) {
            throw new IllegalArgumentException("negative " + what);
        }
        return n;
    }

    /** Authenticates the client with a token agreed beforehand. */
    record Auth(AnnexUuid clientUuid, String token) implements P2PMessage {
        public Auth {
            Objects.requireNonNull(clientUuid);
            Objects.requireNonNull(token);
        }

        @Override
        public String toLine() {
            return "AUTH " + clientUuid.value() + " " + token;
        }
    }

    /** The server accepted; {@code serverUuid} is the repository answering. */
    record AuthSuccess(AnnexUuid serverUuid) implements P2PMessage {
        public AuthSuccess {
            Objects.requireNonNull(serverUuid);
        }

        @Override
        public String toLine() {
            return "AUTH-SUCCESS " + serverUuid.value();
        }
    }

    record AuthFailure() implements P2PMessage {
        @Override
        public String toLine() {
            return "AUTH-FAILURE";
        }
    }

    /** Asked by the client (its highest version) and answered by the server (the version both use). */
    record Version(int number) implements P2PMessage {
        public Version {
            nonNegative(number, "version");
        }

        @Override
        public String toLine() {
            return "VERSION " + number;
        }
    }

    /** Cluster gateways not to go through (v2+); no answer. */
    record Bypass(List<AnnexUuid> uuids) implements P2PMessage {
        public Bypass {
            uuids = List.copyOf(uuids);
        }

        @Override
        public String toLine() {
            return withUuids("BYPASS", uuids);
        }
    }

    record CheckPresent(Key key) implements P2PMessage {
        public CheckPresent {
            Objects.requireNonNull(key);
        }

        @Override
        public String toLine() {
            return "CHECKPRESENT " + key.serialize();
        }
    }

    record LockContent(Key key) implements P2PMessage {
        public LockContent {
            Objects.requireNonNull(key);
        }

        @Override
        public String toLine() {
            return "LOCKCONTENT " + key.serialize();
        }
    }

    /** Ends the lock of the preceding LOCKCONTENT; no answer. */
    record UnlockContent() implements P2PMessage {
        @Override
        public String toLine() {
            return "UNLOCKCONTENT";
        }
    }

    record Remove(Key key) implements P2PMessage {
        public Remove {
            Objects.requireNonNull(key);
        }

        @Override
        public String toLine() {
            return "REMOVE " + key.serialize();
        }
    }

    /** Remove only while the server's monotonic clock is before {@code timestamp} (v3+). */
    record RemoveBefore(long timestamp, Key key) implements P2PMessage {
        public RemoveBefore {
            nonNegative(timestamp, "timestamp");
            Objects.requireNonNull(key);
        }

        @Override
        public String toLine() {
            return "REMOVE-BEFORE " + timestamp + " " + key.serialize();
        }
    }

    record GetTimestamp() implements P2PMessage {
        @Override
        public String toLine() {
            return "GETTIMESTAMP";
        }
    }

    /** The server's monotonic clock, in seconds. */
    record Timestamp(long seconds) implements P2PMessage {
        public Timestamp {
            nonNegative(seconds, "timestamp");
        }

        @Override
        public String toLine() {
            return "TIMESTAMP " + seconds;
        }
    }

    record Get(long offset, AssociatedFile file, Key key) implements P2PMessage {
        public Get {
            nonNegative(offset, "offset");
            Objects.requireNonNull(file);
            Objects.requireNonNull(key);
        }

        @Override
        public String toLine() {
            return "GET " + offset + " " + file.toWire() + " " + key.serialize();
        }
    }

    record Put(AssociatedFile file, Key key) implements P2PMessage {
        public Put {
            Objects.requireNonNull(file);
            Objects.requireNonNull(key);
        }

        @Override
        public String toLine() {
            return "PUT " + file.toWire() + " " + key.serialize();
        }
    }

    /** The server wants the content from {@code offset} on. */
    record PutFrom(long offset) implements P2PMessage {
        public PutFrom {
            nonNegative(offset, "offset");
        }

        @Override
        public String toLine() {
            return "PUT-FROM " + offset;
        }
    }

    record AlreadyHave() implements P2PMessage {
        @Override
        public String toLine() {
            return "ALREADY-HAVE";
        }
    }

    record AlreadyHavePlus(List<AnnexUuid> uuids) implements P2PMessage {
        public AlreadyHavePlus {
            uuids = List.copyOf(uuids);
        }

        @Override
        public String toLine() {
            return withUuids("ALREADY-HAVE-PLUS", uuids);
        }
    }

    record Success() implements P2PMessage {
        @Override
        public String toLine() {
            return "SUCCESS";
        }
    }

    record SuccessPlus(List<AnnexUuid> uuids) implements P2PMessage {
        public SuccessPlus {
            uuids = List.copyOf(uuids);
        }

        @Override
        public String toLine() {
            return withUuids("SUCCESS-PLUS", uuids);
        }
    }

    record Failure() implements P2PMessage {
        @Override
        public String toLine() {
            return "FAILURE";
        }
    }

    record FailurePlus(List<AnnexUuid> uuids) implements P2PMessage {
        public FailurePlus {
            uuids = List.copyOf(uuids);
        }

        @Override
        public String toLine() {
            return withUuids("FAILURE-PLUS", uuids);
        }
    }

    /** Announces exactly {@code length} raw bytes following the line. */
    record Data(long length) implements P2PMessage {
        public Data {
            nonNegative(length, "length");
        }

        @Override
        public String toLine() {
            return "DATA " + length;
        }
    }

    /** Instead of DATA (v4+): the content reached the server another way. */
    record DataPresent() implements P2PMessage {
        @Override
        public String toLine() {
            return "DATA-PRESENT";
        }
    }

    /** After DATA (v1+): the content did not change while sent. */
    record Valid() implements P2PMessage {
        @Override
        public String toLine() {
            return "VALID";
        }
    }

    /** After DATA (v1+): the content changed while sent, or was not available. */
    record Invalid() implements P2PMessage {
        @Override
        public String toLine() {
            return "INVALID";
        }
    }

    /** An error; the text is the rest of the line. */
    record ErrorMessage(String message) implements P2PMessage {
        public ErrorMessage {
            Objects.requireNonNull(message);
            if (message.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("newline in error message");
            }
        }

        @Override
        public String toLine() {
            return message.isEmpty() ? "ERROR" : "ERROR " + message;
        }
    }

    /** Connects to a git service ({@code git-upload-pack}, {@code git-receive-pack}). */
    record Connect(String service) implements P2PMessage {
        public Connect {
            if (!service.equals("git-upload-pack") && !service.equals("git-receive-pack")) {
                throw new IllegalArgumentException("unknown service " + service);
            }
        }

        @Override
        public String toLine() {
            return "CONNECT " + service;
        }
    }

    /** The git service exited with this code. */
    record ConnectDone(int exitCode) implements P2PMessage {
        @Override
        public String toLine() {
            return "CONNECTDONE " + exitCode;
        }
    }

    record NotifyChange() implements P2PMessage {
        @Override
        public String toLine() {
            return "NOTIFYCHANGE";
        }
    }

    record Changed(List<String> refs) implements P2PMessage {
        public Changed {
            refs = List.copyOf(refs);
        }

        @Override
        public String toLine() {
            return refs.isEmpty() ? "CHANGED" : "CHANGED " + String.join(" ", refs);
        }
    }
}
