package io.annexgate.security;

/** What a client may do: git-annex's ServerMode. */
public enum AccessMode {
    READ_ONLY, APPEND_ONLY, READ_WRITE;

    /** {@code GIT_ANNEX_P2PHTTP_PERMISSIONS_<user>}: readonly, appendonly, anything else read-write. */
    public static AccessMode fromPermissions(String value) {
        if (value == null) {
            return READ_WRITE;
        }
        return switch (value) {
            case "readonly" -> READ_ONLY;
            case "appendonly" -> APPEND_ONLY;
            default -> READ_WRITE;
        };
    }
}
