package io.annexgate.proxy.p2p;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.InvalidValueException;
import io.annexgate.protocol.Key;
import io.annexgate.proxy.p2p.P2PMessage.AlreadyHave;
import io.annexgate.proxy.p2p.P2PMessage.AlreadyHavePlus;
import io.annexgate.proxy.p2p.P2PMessage.Auth;
import io.annexgate.proxy.p2p.P2PMessage.AuthFailure;
import io.annexgate.proxy.p2p.P2PMessage.AuthSuccess;
import io.annexgate.proxy.p2p.P2PMessage.Bypass;
import io.annexgate.proxy.p2p.P2PMessage.Changed;
import io.annexgate.proxy.p2p.P2PMessage.CheckPresent;
import io.annexgate.proxy.p2p.P2PMessage.Connect;
import io.annexgate.proxy.p2p.P2PMessage.ConnectDone;
import io.annexgate.proxy.p2p.P2PMessage.Data;
import io.annexgate.proxy.p2p.P2PMessage.DataPresent;
import io.annexgate.proxy.p2p.P2PMessage.ErrorMessage;
import io.annexgate.proxy.p2p.P2PMessage.Failure;
import io.annexgate.proxy.p2p.P2PMessage.FailurePlus;
import io.annexgate.proxy.p2p.P2PMessage.Get;
import io.annexgate.proxy.p2p.P2PMessage.GetTimestamp;
import io.annexgate.proxy.p2p.P2PMessage.Invalid;
import io.annexgate.proxy.p2p.P2PMessage.LockContent;
import io.annexgate.proxy.p2p.P2PMessage.NotifyChange;
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
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one protocol line (without its newline). As in git-annex, the command is the first word
 * and a message's last parameter takes the rest of the line (so keys may contain spaces); lists
 * are space-separated words. Stricter than git-annex: numbers are plain non-negative decimals.
 */
public final class P2PMessageParser {

    private P2PMessageParser() {
    }

    /** The message on this line; throws {@link P2PProtocolException} naming what is wrong. */
    public static P2PMessage parse(String line) throws P2PProtocolException {
        int space = line.indexOf(' ');
        String command = space < 0 ? line : line.substring(0, space);
        String rest = space < 0 ? "" : line.substring(space + 1);
        boolean bare = space < 0;
        try {
            return switch (command) {
                case "AUTH" -> {
                    String[] p = two(line, rest);
                    yield new Auth(new AnnexUuid(p[0]), p[1]);
                }
                case "AUTH-SUCCESS" -> new AuthSuccess(new AnnexUuid(one(line, rest)));
                case "AUTH-FAILURE" -> none(line, bare, new AuthFailure());
                case "VERSION" -> new Version(Math.toIntExact(number(line, one(line, rest))));
                case "BYPASS" -> new Bypass(uuids(rest));
                case "CHECKPRESENT" -> new CheckPresent(key(line, rest));
                case "LOCKCONTENT" -> new LockContent(key(line, rest));
                case "UNLOCKCONTENT" -> none(line, bare, new UnlockContent());
                case "REMOVE" -> new Remove(key(line, rest));
                case "REMOVE-BEFORE" -> {
                    String[] p = two(line, rest);
                    yield new RemoveBefore(number(line, p[0]), key(line, p[1]));
                }
                case "GETTIMESTAMP" -> none(line, bare, new GetTimestamp());
                case "TIMESTAMP" -> new Timestamp(number(line, one(line, rest)));
                case "GET" -> {
                    String[] p = two(line, rest);
                    String[] q = two(line, p[1]);
                    yield new Get(number(line, p[0]), file(line, q[0]), key(line, q[1]));
                }
                case "PUT" -> {
                    String[] p = two(line, rest);
                    yield new Put(file(line, p[0]), key(line, p[1]));
                }
                case "PUT-FROM" -> new PutFrom(number(line, one(line, rest)));
                case "ALREADY-HAVE" -> none(line, bare, new AlreadyHave());
                case "ALREADY-HAVE-PLUS" -> new AlreadyHavePlus(uuids(rest));
                case "SUCCESS" -> none(line, bare, new Success());
                case "SUCCESS-PLUS" -> new SuccessPlus(uuids(rest));
                case "FAILURE" -> none(line, bare, new Failure());
                case "FAILURE-PLUS" -> new FailurePlus(uuids(rest));
                case "DATA" -> new Data(number(line, one(line, rest)));
                case "DATA-PRESENT" -> none(line, bare, new DataPresent());
                case "VALID" -> none(line, bare, new Valid());
                case "INVALID" -> none(line, bare, new Invalid());
                case "ERROR" -> new ErrorMessage(rest);
                case "CONNECT" -> new Connect(one(line, rest));
                case "CONNECTDONE" -> new ConnectDone(Math.toIntExact(signed(line, one(line, rest))));
                case "NOTIFYCHANGE" -> none(line, bare, new NotifyChange());
                case "CHANGED" -> new Changed(words(rest));
                default -> throw malformed(line, "unknown command");
            };
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw malformed(line, e.getMessage());
        }
    }

    private static <T extends P2PMessage> T none(String line, boolean bare, T message) throws P2PProtocolException {
        if (!bare) {
            throw malformed(line, "unexpected parameters");
        }
        return message;
    }

    private static String one(String line, String rest) throws P2PProtocolException {
        if (rest.isEmpty()) {
            throw malformed(line, "missing parameter");
        }
        return rest;
    }

    /** Splits off the first word; the second part is the rest of the line. */
    private static String[] two(String line, String rest) throws P2PProtocolException {
        int space = rest.indexOf(' ');
        if (space < 0) {
            throw malformed(line, "missing parameter");
        }
        return new String[] {rest.substring(0, space), rest.substring(space + 1)};
    }

    private static long number(String line, String text) throws P2PProtocolException {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw malformed(line, "not a number: " + text);
        }
        return Long.parseLong(text);
    }

    private static long signed(String line, String text) throws P2PProtocolException {
        return text.startsWith("-") ? -number(line, text.substring(1)) : number(line, text);
    }

    private static Key key(String line, String text) throws P2PProtocolException {
        try {
            return Key.parse(text);
        } catch (InvalidValueException e) {
            throw malformed(line, "bad key");
        }
    }

    private static AssociatedFile file(String line, String token) throws P2PProtocolException {
        AssociatedFile file = AssociatedFile.fromWire(token);
        if (file.name().startsWith("/")) {
            throw malformed(line, "absolute associated file");
        }
        return file;
    }

    private static List<String> words(String rest) {
        List<String> out = new ArrayList<>();
        for (String w : rest.split(" ")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    private static List<AnnexUuid> uuids(String rest) {
        return words(rest).stream().map(AnnexUuid::new).toList();
    }

    private static P2PProtocolException malformed(String line, String why) {
        String shown = line.length() > 200 ? line.substring(0, 200) + "..." : line;
        return new P2PProtocolException("malformed P2P message (" + why + "): " + shown);
    }
}
