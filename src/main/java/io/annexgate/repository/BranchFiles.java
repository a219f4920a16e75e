package io.annexgate.repository;

import java.io.IOException;
import java.util.Optional;

/** Reads files of the git-annex branch. */
@FunctionalInterface
public interface BranchFiles {

    /** The content of {@code path} on the branch, or empty when it does not exist. */
    Optional<String> read(String path) throws IOException;
}
