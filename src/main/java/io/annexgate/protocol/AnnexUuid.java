package io.annexgate.protocol;

/**
 * The uuid of a git-annex repository. git-annex treats uuids as opaque text, so this is not
 * restricted to RFC 4122 form; it is decoded from the wire's optional {@code [base64]} wrapping.
 */
public record AnnexUuid(String value) {

    public AnnexUuid {
        if (value == null || value.isEmpty()) {
            throw new InvalidValueException("empty UUID");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c == ' ') {
                throw new InvalidValueException("invalid UUID");
            }
        }
    }

    /** Longest uuid a client may send; git-annex makes them 36 characters long. */
    public static final int MAX_CLIENT_LENGTH = 64;

    /** Decodes a uuid as sent in a path or query parameter. */
    public static AnnexUuid fromWire(String text) {
        return new AnnexUuid(Base64Wrapped.decodeText(text));
    }

    /**
     * Decodes a uuid a client sends of itself or of other repositories ({@code clientuuid},
     * {@code bypass}), accepting only what a uuid can be: ASCII letters, digits and {@code -}, at
     * most {@link #MAX_CLIENT_LENGTH} characters. git-annex makes uuids of hex digits and dashes
     * (RFC 4122 form, clusters' too); the wider set leaves room for one set by hand. So no uuid a
     * client sends can name a path or split a protocol line, whatever comes to use it: no {@code /},
     * {@code ..}, NUL, space or control character (upstream strips {@code /} from uuids used in paths).
     */
    public static AnnexUuid fromClient(String text) {
        AnnexUuid uuid = fromWire(text);
        String value = uuid.value();
        if (value.length() > MAX_CLIENT_LENGTH) {
            throw new InvalidValueException("invalid UUID: longer than " + MAX_CLIENT_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-';
            if (!allowed) {
                throw new InvalidValueException("invalid UUID");
            }
        }
        return uuid;
    }

    /** The form sent back to clients (wrapped only when it needs to be). */
    public String toWire() {
        return Base64Wrapped.encode(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
