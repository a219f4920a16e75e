package io.annexgate.repository;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import java.io.IOException;

/** A location log that tells {@code onChange} after each change it records (to schedule a branch commit). */
public final class ChangeNotifyingLocationLog implements LocationLog {

    private final LocationLog log;
    private final Runnable onChange;

    public ChangeNotifyingLocationLog(LocationLog log, Runnable onChange) {
        this.log = log;
        this.onChange = onChange;
    }

    @Override
    public void record(Key key, AnnexUuid uuid, boolean present) throws IOException {
        log.record(key, uuid, present);
        onChange.run();
    }

    @Override
    public boolean says(Key key, AnnexUuid uuid) throws IOException {
        return log.says(key, uuid);
    }
}
