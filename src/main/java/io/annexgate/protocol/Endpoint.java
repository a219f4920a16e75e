package io.annexgate.protocol;

/** Every action of the P2P protocol over HTTP, with the oldest API version that has it. */
public enum Endpoint {
    GET("get", ApiVersion.V0),
    LEGACY_GET("legacy-get", ApiVersion.V0),
    CHECKPRESENT("checkpresent", ApiVersion.V0),
    REMOVE("remove", ApiVersion.V0),
    REMOVE_BEFORE("remove-before", ApiVersion.V3),
    GETTIMESTAMP("gettimestamp", ApiVersion.V3),
    PUT("put", ApiVersion.V0),
    PUTOFFSET("putoffset", ApiVersion.V1),
    LOCKCONTENT("lockcontent", ApiVersion.V0),
    KEEPLOCKED("keeplocked", ApiVersion.V0);

    private final String label;
    private final ApiVersion since;

    Endpoint(String label, ApiVersion since) {
        this.label = label;
        this.since = since;
    }

    /** Bounded label used in metrics and logs. */
    public String label() {
        return label;
    }

    public boolean existsIn(ApiVersion version) {
        return version.atLeast(since);
    }
}
