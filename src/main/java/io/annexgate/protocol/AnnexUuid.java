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

    /** Decodes a uuid as sent in a path or query parameter. */
    public static AnnexUuid fromWire(String text) {
        return new AnnexUuid(Base64Wrapped.decodeText(text));
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
