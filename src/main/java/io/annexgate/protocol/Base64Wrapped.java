package io.annexgate.protocol;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The "[base64url]" wrapping git-annex's HTTP API uses for keys, uuids, file
 * names and lock ids that are not plain UTF-8 text (p2phttp-api.md §1.3).
 */
public final class Base64Wrapped {

    /** Body of the 400 response for a wrapped value that is not base64url. */
    public static final String DECODE_ERROR = "unable to base64 decode [] wrapped value";

    /** Body of the 400 response for a value that is not valid UTF-8 text. */
    public static final String NOT_UTF8_ERROR = "value is not valid UTF-8";

    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder();

    private Base64Wrapped() {
    }

    /**
     * The bytes a transported value stands for: the base64url-decoded inside
     * of a "[...]" value (padding optional), else the value's UTF-8 bytes.
     *
     * @throws InvalidValueException when a wrapped value is not base64url
     */
    public static byte[] decode(String value) {
        if (isWrapped(value)) {
            try {
                return DECODER.decode(value.substring(1, value.length() - 1));
            } catch (IllegalArgumentException e) {
                throw new InvalidValueException(DECODE_ERROR, e);
            }
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Like {@link #decode(String)} but the result must be valid UTF-8 text.
     *
     * @throws InvalidValueException when not base64url or not valid UTF-8
     */
    public static String decodeText(String value) {
        if (!isWrapped(value)) {
            return value;
        }
        byte[] bytes = decode(value);
        try {
            return strictUtf8(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidValueException(NOT_UTF8_ERROR, e);
        }
    }

    /**
     * The text to transport for these bytes: the text itself when it is
     * valid UTF-8 that does not look wrapped, else "[" + base64url + "]".
     */
    public static String encode(byte[] bytes) {
        try {
            String text = strictUtf8(bytes).toString();
            if (!isWrapped(text)) {
                return text;
            }
        } catch (CharacterCodingException e) {
            // not text: fall through to wrapping
        }
        return "[" + ENCODER.encodeToString(bytes) + "]";
    }

    /** The text to transport for this text (wrapped only if it looks wrapped). */
    public static String encode(String text) {
        if (!isWrapped(text)) {
            return text;
        }
        return "[" + ENCODER.encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "]";
    }

    /** True when the value starts with '[' and ends with ']'. */
    public static boolean isWrapped(String value) {
        return value.length() >= 2 && value.charAt(0) == '[' && value.charAt(value.length() - 1) == ']';
    }

    private static CharBuffer strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes));
    }
}
