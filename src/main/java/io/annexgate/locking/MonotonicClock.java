package io.annexgate.locking;

/**
 * A clock that never goes back, in whole seconds: what gettimestamp hands out and remove-before
 * compares against. Servers fronting one repository must share it.
 */
public interface MonotonicClock {

    long nowSeconds();

    /** Nanosecond reading of the same clock, for expiry bookkeeping. */
    long nowNanos();
}
