package io.annexgate.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A git-annex key, {@code BACKEND[-sSIZE][-mMTIME][-SCHUNKSIZE][-CCHUNKNUM]--NAME}
 * (git-annex {@code Types/Key.hs}). Every instance is valid: the constructor
 * applies the same rules as {@link #parse(String)}.
 *
 * <p>Differences from git-annex's parser, all deliberate and stricter: numbers
 * with leading zeros ({@code -s06}) are rejected instead of normalised, so that
 * {@code parse(text).serialize()} always equals {@code text}; numbers must fit
 * in a {@code long}; control characters, text longer than
 * {@value #MAX_LENGTH} characters and keys whose file name would be longer
 * than {@value #MAX_FILE_NAME_BYTES} bytes are rejected.
 */
public record Key(
        String backend,
        OptionalLong size,
        OptionalLong mtime,
        OptionalLong chunkSize,
        OptionalLong chunkNumber,
        String name) {

    /** Message of every key rejection; the HTTP layer prefixes its own context. */
    public static final String PARSE_ERROR = "key parse error";

    /** Longest key text accepted, in chars. */
    public static final int MAX_LENGTH = 1024;

    /** Longest {@link #fileName()} accepted, in UTF-8 bytes (a common file-system limit). */
    public static final int MAX_FILE_NAME_BYTES = 255;

    /** Longest extension (from the first '.', inclusive) of an extension backend's name, in UTF-8 bytes. */
    public static final int MAX_EXTENSION_BYTES = 64;

    private static final String NAME_SEPARATOR = "--";

    public Key {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(mtime, "mtime");
        Objects.requireNonNull(chunkSize, "chunkSize");
        Objects.requireNonNull(chunkNumber, "chunkNumber");
        Objects.requireNonNull(name, "name");
        if (backend.isEmpty() || backend.indexOf('-') >= 0) {
            throw parseError();
        }
        for (OptionalLong number : new OptionalLong[] {size, mtime, chunkSize, chunkNumber}) {
            if (number.isPresent() && number.getAsLong() < 0) {
                throw parseError();
            }
        }
        checkSerialized(serialize(backend, size, mtime, chunkSize, chunkNumber, name), backend, name);
    }

    /** A key with only a backend, a size and a name, the usual shape of hash keys. */
    public static Key of(String backend, long size, String name) {
        return new Key(backend, OptionalLong.of(size), OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.empty(), name);
    }

    /**
     * Parses a key strictly.
     *
     * @throws InvalidValueException with message {@value #PARSE_ERROR} when malformed
     */
    public static Key parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            throw parseError();
        }
        int backendEnd = text.indexOf('-');
        if (backendEnd <= 0) {
            throw parseError();
        }
        Cursor cursor = new Cursor(text, backendEnd);
        OptionalLong size = cursor.field('s');
        OptionalLong mtime = cursor.field('m');
        OptionalLong chunkSize = cursor.field('S');
        OptionalLong chunkNumber = cursor.field('C');
        if (!text.startsWith(NAME_SEPARATOR, cursor.position)) {
            throw parseError();
        }
        String name = text.substring(cursor.position + NAME_SEPARATOR.length());
        return new Key(text.substring(0, backendEnd), size, mtime, chunkSize, chunkNumber, name);
    }

    /** The canonical text of this key; for a parsed key, the text it was parsed from. */
    public String serialize() {
        return serialize(backend, size, mtime, chunkSize, chunkNumber, name);
    }

    /** Same as {@link #serialize()}. */
    @Override
    public String toString() {
        return serialize();
    }

    /** Alias of {@link #backend()}. */
    public String backendName() {
        return backend;
    }

    /** True for a chunk of a chunked special remote: both chunk size and number are set. */
    public boolean isChunk() {
        return chunkSize.isPresent() && chunkNumber.isPresent();
    }

    /** The parent key of a chunk (this key with no chunk fields); this key if it has none. */
    public Key withoutChunk() {
        if (chunkSize.isEmpty() && chunkNumber.isEmpty()) {
            return this;
        }
        return new Key(backend, size, mtime, OptionalLong.empty(), OptionalLong.empty(), name);
    }

    /**
     * True when git-annex treats the name as hash plus extension: the backend
     * ends in 'E' (SHA256E, XFOOE, unknown FOOE...) and is not GITBUNDLE.
     */
    public boolean hasExtensionBackend() {
        return backendHasExtension(backend);
    }

    /**
     * The key's file name in the object store, tmp dir and git-annex branch
     * (git-annex {@code keyFile}): {@code &}→{@code &a}, {@code %}→{@code &s},
     * {@code :}→{@code &c}, {@code /}→{@code %}.
     */
    public String fileName() {
        return fileName(serialize());
    }

    private static String fileName(String serialized) {
        StringBuilder out = null;
        for (int i = 0; i < serialized.length(); i++) {
            char c = serialized.charAt(i);
            String escape = switch (c) {
                case '&' -> "&a";
                case '%' -> "&s";
                case ':' -> "&c";
                case '/' -> "%";
                default -> null;
            };
            if (escape != null && out == null) {
                out = new StringBuilder(serialized.length() + 16).append(serialized, 0, i);
            }
            if (out != null) {
                if (escape != null) {
                    out.append(escape);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? serialized : out.toString();
    }

    private static boolean backendHasExtension(String backend) {
        return backend.endsWith("E") && !backend.equals("GITBUNDLE");
    }

    private static String serialize(String backend, OptionalLong size, OptionalLong mtime,
            OptionalLong chunkSize, OptionalLong chunkNumber, String name) {
        StringBuilder out = new StringBuilder(backend.length() + name.length() + 40).append(backend);
        appendField(out, 's', size);
        appendField(out, 'm', mtime);
        appendField(out, 'S', chunkSize);
        appendField(out, 'C', chunkNumber);
        return out.append(NAME_SEPARATOR).append(name).toString();
    }

    private static void appendField(StringBuilder out, char letter, OptionalLong value) {
        if (value.isPresent()) {
            out.append('-').append(letter).append(value.getAsLong());
        }
    }

    private static void checkSerialized(String serialized, String backend, String name) {
        if (serialized.length() > MAX_LENGTH) {
            throw parseError();
        }
        for (int i = 0; i < serialized.length(); i++) {
            char c = serialized.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw parseError();
            }
        }
        if (backendHasExtension(backend)) {
            int dot = name.indexOf('.');
            if (dot >= 0 && utf8Length(name.substring(dot)) > MAX_EXTENSION_BYTES) {
                throw parseError();
            }
        }
        String fileName = fileName(serialized);
        if (fileName.equals(".") || fileName.equals("..") || utf8Length(fileName) > MAX_FILE_NAME_BYTES) {
            throw parseError();
        }
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static InvalidValueException parseError() {
        return new InvalidValueException(PARSE_ERROR);
    }

    /** Reads the optional numeric fields in order, backtracking like git-annex's parser. */
    private static final class Cursor {
        private final String text;
        private int position;

        Cursor(String text, int position) {
            this.text = text;
            this.position = position;
        }

        /** Reads "-&lt;letter&gt;DIGITS" at the position if present; otherwise leaves the position alone. */
        OptionalLong field(char letter) {
            int start = position + 2;
            if (start >= text.length() || text.charAt(position) != '-' || text.charAt(position + 1) != letter) {
                return OptionalLong.empty();
            }
            int end = start;
            while (end < text.length() && isDigit(text.charAt(end))) {
                end++;
            }
            if (end == start) {
                return OptionalLong.empty();
            }
            if (text.charAt(start) == '0' && end - start > 1) {
                throw parseError();
            }
            long value;
            try {
                value = Long.parseLong(text, start, end, 10);
            } catch (NumberFormatException e) {
                throw parseError();
            }
            position = end;
            return OptionalLong.of(value);
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}
