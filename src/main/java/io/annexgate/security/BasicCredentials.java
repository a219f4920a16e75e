package io.annexgate.security;

import io.annexgate.protocol.InvalidValueException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** HTTP Basic credentials as exact bytes; the password is everything after the first colon. */
public record BasicCredentials(byte[] user, byte[] password) {

    static final String PARSE_ERROR = "Error parsing header Authorization failed: invalid basic auth header";

    /** Parses an {@code Authorization} header value; anything but valid Basic credentials is a 400. */
    public static BasicCredentials parse(String header) {
        String h = header.strip();
        int space = h.indexOf(' ');
        if (space < 0 || !h.substring(0, space).equalsIgnoreCase("basic")) {
            throw new InvalidValueException(PARSE_ERROR);
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(h.substring(space + 1).strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(PARSE_ERROR);
        }
        for (int i = 0; i < decoded.length; i++) {
            if (decoded[i] == ':') {
                return new BasicCredentials(Arrays.copyOf(decoded, i), Arrays.copyOfRange(decoded, i + 1, decoded.length));
            }
        }
        throw new InvalidValueException(PARSE_ERROR);
    }

    public String userName() {
        return new String(user, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BasicCredentials c && Arrays.equals(user, c.user) && Arrays.equals(password, c.password);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(user);
    }

    @Override
    public String toString() {
        return "BasicCredentials[" + userName() + "]";
    }
}
