package io.annexgate.service;

import io.annexgate.protocol.AnnexUuid;
import java.util.List;
import java.util.Optional;

/** Asks several registries in order (served repositories first, then proxied remotes); the first that knows the uuid answers. */
public final class CompositeTargetRegistry implements TargetRegistry {

    private final List<TargetRegistry> registries;

    public CompositeTargetRegistry(List<TargetRegistry> registries) {
        this.registries = List.copyOf(registries);
    }

    @Override
    public Optional<AnnexTarget> find(AnnexUuid uuid) {
        for (TargetRegistry r : registries) {
            Optional<AnnexTarget> found = r.find(uuid);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}
