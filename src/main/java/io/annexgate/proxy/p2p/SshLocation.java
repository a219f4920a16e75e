package io.annexgate.proxy.p2p;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where a git remote reached over ssh is, read from its url as git-annex reads it
 * ({@code Git/Remote.hs} parseRemoteLocation, {@code Git/Url.hs}): {@code ssh://}, {@code git+ssh://}
 * and {@code ssh+git://} urls, and scp-style {@code [user@]host:dir}, which becomes
 * {@code ssh://[user@]host/~/dir} (a {@code dir} starting with {@code /} is absolute, one starting
 * with {@code ~} is kept). The path is handed to git-annex-shell unchanged; it resolves {@code /~/}
 * and {@code ~user/} against the remote account's home itself.
 *
 * @param hostUser {@code user@host} or {@code host}, as ssh is given it (user and host URI-decoded,
 *     an IPv6 address without its brackets)
 * @param port a port other than the default, when the url names one
 * @param path the repository's path on the remote host, URI-decoded
 */
public record SshLocation(String hostUser, OptionalInt port, String path) {

    private static final String[] SCHEMES = {"ssh://", "git+ssh://", "ssh+git://"};
    private static final String URI_CHARACTERS = "-._~:/?#[]@!$&'()*+,;=";

    public SshLocation {
        if (hostUser.startsWith("-")) {
            throw new IllegalArgumentException("rejecting ssh hostname that starts with '-' : " + hostUser);
        }
    }

    /**
     * The ssh location a remote url names; empty when it is not an ssh url.
     *
     * @throws IllegalArgumentException for a host starting with {@code -} (ssh would take it for an option)
     */
    public static Optional<SshLocation> parse(String url) {
        String u = url.strip();
        if (isScpStyle(u)) {
            u = scpToUrl(u);
        }
        String rest = null;
        for (String scheme : SCHEMES) {
            if (u.regionMatches(true, 0, scheme, 0, scheme.length())) {
                rest = u.substring(scheme.length());
                break;
            }
        }
        if (rest == null) {
            return Optional.empty();
        }
        // git accepts characters no URI may hold (a space, say); git-annex escapes them first, so
        // such a url's %XX sequences stay as they are, while a proper URI's are decoded
        boolean decode = isUri(u);
        int end = indexOfAny(rest, "?#");
        if (end >= 0) {
            rest = rest.substring(0, end);
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        int at = authority.lastIndexOf('@');
        String user = at < 0 ? "" : authority.substring(0, at + 1);
        String hostPort = authority.substring(at + 1);
        String host;
        String portText;
        if (hostPort.startsWith("[") && hostPort.indexOf(']') > 0) {
            int close = hostPort.indexOf(']');
            host = hostPort.substring(1, close);
            portText = hostPort.substring(close + 1);
        } else {
            int colon = hostPort.indexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            portText = colon < 0 ? "" : hostPort.substring(colon);
        }
        OptionalInt port = OptionalInt.empty();
        if (portText.length() > 1 && portText.startsWith(":") && portText.substring(1).chars().allMatch(Character::isDigit)
                && portText.length() <= 6) {
            port = OptionalInt.of(Integer.parseInt(portText.substring(1)));
        }
        if (host.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SshLocation(
                decode ? percentDecode(user) + percentDecode(host) : user + host, port,
                decode ? percentDecode(path) : path));
    }

    /** git's {@code [user@]host:dir}: a colon, no {@code //}, and no {@code ::} outside an IPv6 address. */
    static boolean isScpStyle(String v) {
        int bracket = v.indexOf('[');
        String beforeBracket = bracket < 0 ? v : v.substring(0, bracket);
        return v.contains(":") && !v.contains("//") && !beforeBracket.contains("::");
    }

    /** {@code host:dir} as git-annex rewrites it: {@code ssh://host/~/dir}, or {@code ssh://host/dir} for an absolute dir. */
    static String scpToUrl(String v) {
        String host;
        String dir;
        if (v.startsWith("[") && v.indexOf(']') > 0) {
            int close = v.indexOf(']');
            host = v.substring(0, close + 1);
            String after = v.substring(close + 1);
            dir = after.startsWith(":") ? after.substring(1) : after;
        } else {
            int colon = v.indexOf(':');
            host = v.substring(0, colon);
            dir = v.substring(colon + 1);
        }
        String slashed;
        if (dir.startsWith("/")) {
            slashed = dir;
        } else if (dir.startsWith("~")) {
            slashed = "/" + dir;
        } else {
            slashed = "/~/" + dir;
        }
        return "ssh://" + host + slashed;
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** Whether every character may stand in a URI unescaped, and every {@code %} starts an escape. */
    private static boolean isUri(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    return false;
                }
            } else if (!(c < 128 && (Character.isLetterOrDigit(c) || URI_CHARACTERS.indexOf(c) >= 0))) {
                return false;
            }
        }
        return true;
    }

    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3).toLowerCase(Locale.ROOT), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
