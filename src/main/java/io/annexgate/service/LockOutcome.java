package io.annexgate.service;

import io.annexgate.protocol.LockId;

/** The answer to lockcontent. */
public sealed interface LockOutcome {

    record Locked(LockId lockId) implements LockOutcome { }

    /** Not locked; {@code reason} is for logs and metrics. */
    record NotLocked(String reason) implements LockOutcome { }
}
