package io.annexgate.protocol;

import java.util.Optional;

/** A version of the P2P protocol over HTTP, as named by the {@code v0}..{@code v4} path segment. */
public enum ApiVersion {
    V0, V1, V2, V3, V4;

    /** Parses a path segment such as {@code v3}; empty for anything that is not a known version. */
    public static Optional<ApiVersion> fromSegment(String segment) {
        if (segment == null || segment.length() != 2 || segment.charAt(0) != 'v') {
            return Optional.empty();
        }
        int n = segment.charAt(1) - '0';
        return n >= 0 && n < values().length ? Optional.of(values()[n]) : Optional.empty();
    }

    public int number() {
        return ordinal();
    }

    public String segment() {
        return "v" + ordinal();
    }

    /** From v2 on, answers carry the uuids of other repositories that were also affected. */
    public boolean hasPlusUuids() {
        return this.compareTo(V2) >= 0;
    }

    /** From v4 on, a put may say the content is already present by another route. */
    public boolean hasDataPresent() {
        return this.compareTo(V4) >= 0;
    }

    public boolean atLeast(ApiVersion other) {
        return compareTo(other) >= 0;
    }
}
