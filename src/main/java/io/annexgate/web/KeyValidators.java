package io.annexgate.web;

import io.annexgate.protocol.Key;
import io.annexgate.repository.ContentHasher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * HTTP validators of a key's content. A key of a hash backend (SHA*, BLAKE2*, SKEIN*, MD5, ...)
 * names its bytes, so they never change: its strong ETag is the key itself and its content may be
 * cached for as long as anyone likes. WORM and URL keys name a file's size and date or an address,
 * not its bytes (two repositories may hold different bytes under one such key): they get no ETag
 * and no caching, and {@code If-Range} never matches them.
 */
final class KeyValidators {

    private KeyValidators() {
    }

    /** The strong entity tag of a content-addressed key, quoted; empty for other backends. */
    static Optional<String> etag(Key key) {
        if (!ContentHasher.canVerify(key)) {
            return Optional.empty();
        }
        StringBuilder tag = new StringBuilder("\"");
        for (byte b : key.serialize().getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            // etagc is %x21 / %x23-7E / obs-text; '%' is escaped too so the mapping stays one to one
            if (c > 0x20 && c < 0x7f && c != '"' && c != '%') {
                tag.append((char) c);
            } else {
                tag.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return Optional.of(tag.append('"').toString());
    }

    /**
     * {@code Cache-Control} for a content-addressed key. Not {@code public}: a shared cache keeps
     * only what was fetched without credentials, so content behind authentication stays behind it.
     */
    static String cacheControl(Duration maxAge) {
        return "max-age=" + maxAge.toSeconds() + ", immutable";
    }

    /** {@code If-None-Match} (weak comparison, RFC 9110 13.1.2): true when it names this tag or is {@code *}. */
    static boolean noneMatchHits(String header, Optional<String> etag) {
        if (header == null) {
            return false;
        }
        for (String candidate : header.split(",")) {
            String c = candidate.strip();
            if (c.equals("*")) {
                return true;
            }
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (etag.isPresent() && c.equals(etag.get())) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code If-Range} (RFC 9110 13.1.5): the range is served only when the header is absent or
     * is this strong tag; a date never matches, there being no {@code Last-Modified}.
     */
    static boolean ifRangeHolds(String header, Optional<String> etag) {
        return header == null || etag.isPresent() && header.strip().equals(etag.get());
    }
}
