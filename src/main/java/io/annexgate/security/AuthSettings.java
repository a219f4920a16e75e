package io.annexgate.security;

/** The access flags of git annex p2phttp. */
public record AuthSettings(
        boolean wideopen,
        boolean unauthReadonly,
        boolean unauthAppendonly,
        boolean unauthNolocking,
        boolean authenv,
        boolean authenvHttp) {

    /** Whether credentials sent over this kind of connection are checked at all. */
    boolean checksCredentials(boolean secure) {
        return secure ? authenv : authenvHttp;
    }

    AuthSettings withoutAuthentication() {
        return new AuthSettings(wideopen, unauthReadonly, unauthAppendonly, unauthNolocking, false, false);
    }
}
