package io.annexgate.service;

import io.annexgate.protocol.AnnexUuid;
import java.util.List;

/** The answer to putoffset. */
public sealed interface PutOffsetOutcome {

    /** Where a put should start: bytes already received. */
    record Offset(long offset) implements PutOffsetOutcome { }

    /** No put needed. */
    record AlreadyHave(List<AnnexUuid> plusUuids) implements PutOffsetOutcome { }
}
