package io.annexgate.proxy.special;

import io.annexgate.protocol.InvalidValueException;
import io.annexgate.protocol.Key;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The key an annexed file in a tree stands for: its symlink target or its pointer file (git-annex
 * {@code parseLinkTargetOrPointer} in Annex/Link.hs, {@code fileKey} in Annex/Locations.hs).
 */
final class AnnexPointers {

    /** git-annex's {@code maxValidPointerSz}: larger blobs are not pointers. */
    static final int MAX_POINTER_BYTES = 32768;

    private static final String LINK_MARK = "/annex/objects";
    private static final String LINE_TAG = "/annex/";

    private AnnexPointers() {
    }

    /** The key of a symlink target or pointer file, or empty when {@code blob} is neither. */
    static Optional<Key> keyOf(byte[] blob) {
        if (blob.length > MAX_POINTER_BYTES) {
            return Optional.empty();
        }
        String text = new String(blob, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        String first = nl < 0 ? text : text.substring(0, nl);
        if (first.endsWith("\r")) {
            first = first.substring(0, first.length() - 1);
        }
        if (!first.contains(LINK_MARK)) {
            return Optional.empty();
        }
        if (nl >= 0 && !restValid(text.substring(nl + 1))) {
            return Optional.empty();
        }
        return fileKey(first.substring(first.lastIndexOf('/') + 1));
    }

    /** Lines after a pointer's first one are allowed only when each carries git-annex's tag and ends in a newline. */
    private static boolean restValid(String rest) {
        String r = rest.startsWith("\n") ? rest.substring(1) : rest;
        while (!r.isEmpty()) {
            int nl = r.indexOf('\n');
            if (nl < 0 || !r.substring(0, nl).contains(LINE_TAG)) {
                return false;
            }
            r = r.substring(nl + 1);
        }
        return true;
    }

    /** The reverse of {@link Key#fileName()}: {@code %} is {@code /}, {@code &c &s &a} are {@code : % &}. */
    static Optional<Key> fileKey(String fileName) {
        StringBuilder out = new StringBuilder(fileName.length());
        String[] parts = fileName.split("%", -1);
        for (int p = 0; p < parts.length; p++) {
            if (p > 0) {
                out.append('/');
            }
            String[] pieces = parts[p].split("&", -1);
            out.append(pieces[0]);
            for (int i = 1; i < pieces.length; i++) {
                String piece = pieces[i];
                if (piece.isEmpty()) {
                    continue;
                }
                char c = piece.charAt(0);
                out.append(switch (c) {
                    case 'c' -> ':';
                    case 's' -> '%';
                    case 'a' -> '&';
                    default -> c;
                });
                out.append(piece, 1, piece.length());
            }
        }
        try {
            return Optional.of(Key.parse(out.toString()));
        } catch (InvalidValueException e) {
            return Optional.empty();
        }
    }
}
