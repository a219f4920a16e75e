package io.annexgate.security;

/** Whether a request may go ahead, and if not, which refusal it gets. */
public sealed interface AccessDecision {

    record Allowed(AccessMode mode) implements AccessDecision { }

    /** 401 with {@code WWW-Authenticate}: credentials could get the request through. */
    record AuthenticationRequired() implements AccessDecision { }

    /** 403: no credentials would help. */
    record Forbidden() implements AccessDecision { }
}
