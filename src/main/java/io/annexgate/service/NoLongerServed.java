package io.annexgate.service;

/**
 * A request reached a repository after the decision to stop serving it (it is gone from disk, or
 * moved): answered 404, as if it had arrived a moment later and found no such uuid.
 */
public final class NoLongerServed extends RuntimeException {

    NoLongerServed(String what) {
        super(what + " is no longer served", null, false, false);
    }
}
