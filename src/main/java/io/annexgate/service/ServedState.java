package io.annexgate.service;

import io.annexgate.repository.AnnexRepository;
import io.annexgate.repository.BranchFiles;
import io.annexgate.repository.LocationLog;

/**
 * What a proxy needs of one served repository: where it is, its git-annex branch, its location
 * log, and its {@code --jobs} slots, which transfers to the remotes and clusters it serves take as
 * its own transfers do.
 */
public record ServedState(AnnexRepository repository, BranchFiles branch, LocationLog locationLog, TransferSlots jobs) { }
