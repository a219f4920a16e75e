package io.annexgate.service;

import io.annexgate.protocol.AnnexUuid;
import java.util.List;

/** The answer to remove and remove-before. */
public sealed interface RemoveOutcome {

    List<AnnexUuid> plusUuids();

    /** The content is gone (or was never there). */
    record Removed(List<AnnexUuid> plusUuids) implements RemoveOutcome { }

    /** The content stays; {@code reason} is for logs and metrics. */
    record NotRemoved(String reason, List<AnnexUuid> plusUuids) implements RemoveOutcome { }
}
