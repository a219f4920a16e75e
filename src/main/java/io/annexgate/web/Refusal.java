package io.annexgate.web;

/** A request refused before any repository work: unknown target, unknown version, or no permission. */
class Refusal extends RuntimeException {

    enum Kind { NOT_SERVED, UNKNOWN_VERSION, AUTHENTICATION_REQUIRED, FORBIDDEN }

    private final Kind kind;

    Refusal(Kind kind) {
        super(kind.name(), null, false, false);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }
}
