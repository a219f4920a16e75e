package io.annexgate.proxy.http;

import java.util.Optional;

/** Where credentials for a url come from and what is told of them: git's credential helpers. */
public interface CredentialHelper {

    /** A credential for {@code url}, or empty when none is to be had without asking a person. */
    Optional<BasicCredential> fill(String url);

    /** {@code credential} worked for {@code url} (a helper may store it). */
    void approve(String url, BasicCredential credential);

    /** {@code credential} was refused for {@code url} (a helper may forget it). */
    void reject(String url, BasicCredential credential);
}
