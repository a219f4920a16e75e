package io.annexgate.repository;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import java.io.IOException;

/** git-annex's record of which repositories have a key's content. */
public interface LocationLog {

    /** Records that {@code uuid} now has (or no longer has) the content of {@code key}. */
    void record(Key key, AnnexUuid uuid, boolean present) throws IOException;

    /** Whether the log currently says {@code uuid} has the content. */
    boolean says(Key key, AnnexUuid uuid) throws IOException;
}
