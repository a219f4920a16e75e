package io.annexgate.proxy.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and password for HTTP Basic authentication, from an {@code annex+http} url or from
 * {@code git credential fill}.
 */
public record BasicCredential(String username, String password) {

    /** The {@code Authorization} header value. */
    public String authorization() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Without the password, which is not for logs. */
    @Override
    public String toString() {
        return "BasicCredential[" + username + "]";
    }
}
