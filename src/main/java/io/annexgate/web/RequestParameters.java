package io.annexgate.web;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.ApiVersion;
import io.annexgate.protocol.Endpoint;
import io.annexgate.protocol.InvalidValueException;
import io.annexgate.protocol.Key;
import io.annexgate.protocol.LockId;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Turns the path, query and headers of an API request into protocol values, or a 400. */
final class RequestParameters {

    static final String DATA_LENGTH = "X-git-annex-data-length";

    private final HttpServletRequest request;

    RequestParameters(HttpServletRequest request) {
        this.request = request;
    }

    /** The version path segment: unknown versions, and versions without this endpoint, are refused. */
    static ApiVersion version(String segment, Endpoint endpoint) {
        ApiVersion version = ApiVersion.fromSegment(segment).orElseThrow(() -> new Refusal(Refusal.Kind.UNKNOWN_VERSION));
        if (!endpoint.existsIn(version)) {
            throw new Refusal(Refusal.Kind.UNKNOWN_VERSION);
        }
        return version;
    }

    Key key() {
        return Key.parse(wrapped("key", required("key")));
    }

    /** The key from the path, after {@code /key/}, percent-decoded from the raw URI so nothing is lost. */
    Key pathKey() {
        String uri = request.getRequestURI();
        int at = uri.indexOf("/key/");
        String raw = at < 0 ? "" : uri.substring(at + "/key/".length());
        try {
            return Key.parse(decodeWrapped(percentDecode(raw)));
        } catch (InvalidValueException e) {
            throw new BadRequest("Error parsing path key failed: " + e.getMessage());
        }
    }

    /** The client's uuid; null when it is absent where the endpoint makes it optional. */
    AnnexUuid clientUuid(boolean requiredHere) {
        String value = request.getParameter("clientuuid");
        if (value == null) {
            if (requiredHere) {
                throw new BadRequest("Query parameter clientuuid is required");
            }
            return null;
        }
        try {
            return AnnexUuid.fromClient(value);
        } catch (InvalidValueException e) {
            throw new BadRequest("Error parsing query parameter clientuuid failed: " + e.getMessage());
        }
    }

    /** Validates every {@code bypass} uuid; they only matter for clusters. */
    void bypass() {
        String[] values = request.getParameterValues("bypass");
        if (values != null) {
            for (String v : values) {
                try {
                    AnnexUuid.fromClient(v);
                } catch (InvalidValueException e) {
                    throw new BadRequest("Error parsing query parameter bypass failed: " + e.getMessage());
                }
            }
        }
    }

    Optional<String> associatedFile() {
        String value = request.getParameter("associatedfile");
        return value == null ? Optional.empty() : Optional.of(wrapped("associatedfile", value));
    }

    LockId lockId() {
        String value = required("lockid");
        try {
            return LockId.fromWire(value);
        } catch (InvalidValueException e) {
            throw new BadRequest("Error parsing query parameter lockid failed: " + e.getMessage());
        }
    }

    long offset() {
        String value = request.getParameter("offset");
        return value == null ? 0 : nonNegative("query parameter offset", value);
    }

    long timestamp() {
        return nonNegative("query parameter timestamp", required("timestamp"));
    }

    boolean dataPresent(ApiVersion version) {
        String value = request.getParameter("data-present");
        if (value == null || !version.hasDataPresent()) {
            return false;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadRequest("Error parsing query parameter data-present failed: could not parse: `" + value + "'");
        };
    }

    long dataLength() {
        String value = request.getHeader(DATA_LENGTH);
        if (value == null) {
            throw new BadRequest("Header " + DATA_LENGTH + " is required");
        }
        return nonNegative("header " + DATA_LENGTH, value.strip());
    }

    private String required(String name) {
        String value = request.getParameter(name);
        if (value == null) {
            throw new BadRequest("Query parameter " + name + " is required");
        }
        return value;
    }

    private static String wrapped(String name, String value) {
        try {
            return decodeWrapped(value);
        } catch (InvalidValueException e) {
            throw new BadRequest("Error parsing query parameter " + name + " failed: " + e.getMessage());
        }
    }

    private static String decodeWrapped(String value) {
        return io.annexgate.protocol.Base64Wrapped.decodeText(value);
    }

    private static long nonNegative(String what, String value) {
        if (value.isEmpty() || value.length() > 19) {
            throw new BadRequest("Error parsing " + what + " failed: not a byte count: " + value);
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                throw new BadRequest("Error parsing " + what + " failed: not a byte count: " + value);
            }
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new BadRequest("Error parsing " + what + " failed: too large: " + value);
        }
    }

    private static String percentDecode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new InvalidValueException("bad percent-encoding");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c == '%') {
                throw new InvalidValueException("bad percent-encoding");
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
