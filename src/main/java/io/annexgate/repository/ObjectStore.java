package io.annexgate.repository;

import io.annexgate.protocol.Key;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** The annexed objects of one repository: finding, reading, staging, committing and deleting them. */
public interface ObjectStore {

    /** The object file of a key that is present, from whichever hash directory holds it. */
    Optional<Path> locate(Key key);

    default boolean contains(Key key) {
        return locate(key).isPresent();
    }

    /** Opens a present object for reading; empty when it is absent. */
    Optional<ObjectContent> open(Key key) throws IOException;

    /** The partial file a put of this key writes to and resumes from. */
    Path stagingFile(Key key);

    /** Bytes already received for a key, so a put can resume there. */
    long stagedSize(Key key);

    /**
     * Moves a verified staging file into place as the key's object, read-only, and returns where
     * it now is. Nothing is visible under {@code objects/} before this.
     */
    Path commit(Key key, Path staged) throws IOException;

    /** Deletes a key's object and the lock files and directories beside it. Absent is not an error. */
    void delete(Key key) throws IOException;

    /** The directory an object of this key is (or would be) in, beside which its lock files live. */
    Path objectDirectory(Key key);
}
