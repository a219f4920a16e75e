package io.annexgate.repository;

import java.nio.file.Path;
import java.util.List;

/** The files git-annex (v10) keeps beside an object to lock it and to record its retention time. */
record ContentLockFiles(Path directory, String keyFile) {

    static final String LOCK = ".lck";
    static final String RETENTION_TIMESTAMP = ".rtm";
    static final String RETENTION_LOCK = ".rtl";
    static final List<String> SUFFIXES = List.of(LOCK, RETENTION_TIMESTAMP, RETENTION_LOCK);

    Path lock() {
        return directory.resolve(keyFile + LOCK);
    }

    Path retentionTimestamp() {
        return directory.resolve(keyFile + RETENTION_TIMESTAMP);
    }

    Path retentionLock() {
        return directory.resolve(keyFile + RETENTION_LOCK);
    }
}
