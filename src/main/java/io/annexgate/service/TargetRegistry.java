package io.annexgate.service;

import io.annexgate.protocol.AnnexUuid;
import java.util.Optional;

/** Which uuids this server answers for. */
public interface TargetRegistry {

    Optional<AnnexTarget> find(AnnexUuid uuid);
}
