package io.annexgate.proxy.p2p;

/** What the sender said after DATA: the content did or did not change while sent; v0 says nothing. */
public enum Validity {
    VALID, INVALID, UNCHECKED
}
