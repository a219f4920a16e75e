package io.annexgate.web;

import java.util.Optional;

/**
 * What a request's {@code Range} header asks of a representation of known size (RFC 9110 14.2):
 * one satisfiable range, or one that is not. Anything else (no header, another unit, several
 * ranges, a syntax error) is empty: the whole representation is sent with 200, which the RFC allows.
 */
sealed interface ByteRange {

    /** Bytes {@code first} to {@code last} inclusive, within the representation. */
    record Slice(long first, long last) implements ByteRange {
        long length() {
            return last - first + 1;
        }

        String contentRange(long size) {
            return "bytes " + first + "-" + last + "/" + size;
        }
    }

    /** A range that lies past the end: answered 416 with {@code Content-Range: bytes }{@code *}{@code /size}. */
    record Unsatisfiable() implements ByteRange { }

    static Optional<ByteRange> of(String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.strip();
        if (h.length() < 6 || !h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return Optional.empty();
        }
        String spec = h.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.indexOf(',') >= 0) {
            return Optional.empty();
        }
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        if (a.isEmpty()) {
            long suffix = digits(b);
            if (suffix < 0) {
                return Optional.empty();
            }
            if (suffix == 0) {
                return Optional.of(new Unsatisfiable());
            }
            // a suffix of an empty representation is satisfiable yet has no bytes to name: send it whole
            return size == 0 ? Optional.empty() : Optional.of(new Slice(Math.max(0, size - suffix), size - 1));
        }
        long first = digits(a);
        long last = b.isEmpty() ? Long.MAX_VALUE : digits(b);
        if (first < 0 || last < 0 || last < first) {
            return Optional.empty();
        }
        if (first >= size) {
            return Optional.of(new Unsatisfiable());
        }
        return Optional.of(new Slice(first, Math.min(last, size - 1)));
    }

    /** A non-negative decimal; -1 when not one, or too large to be a position (clipped to the end anyway). */
    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return s.length() > 18 && s.chars().allMatch(c -> c >= '0' && c <= '9') ? Long.MAX_VALUE : -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(s);
    }
}
