package io.annexgate.service;

import io.annexgate.protocol.AnnexUuid;
import java.util.List;

/** The answer to a put. */
public sealed interface PutOutcome {

    List<AnnexUuid> plusUuids();

    /** The content is now in the target (or already was). */
    record Stored(List<AnnexUuid> plusUuids) implements PutOutcome { }

    /** The content was not stored; {@code reason} is for logs and metrics, not the wire. */
    record NotStored(String reason, List<AnnexUuid> plusUuids) implements PutOutcome { }
}
