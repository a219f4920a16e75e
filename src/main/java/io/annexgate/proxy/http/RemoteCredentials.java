package io.annexgate.proxy.http;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The credentials one annex+http remote is reached with, as git-annex's client handles them: those
 * in the url when it carries some; otherwise none until the remote answers 401, then what
 * {@code git credential fill} gives for the credential url, kept for later requests, approved once
 * it worked and rejected (and dropped) when the remote refuses it too.
 */
public final class RemoteCredentials {

    private final Optional<BasicCredential> fromUrl;
    private final String credentialUrl;
    private final CredentialHelper helper;
    private final ReentrantLock lock = new ReentrantLock();
    private BasicCredential filled;
    private boolean approved;

    private RemoteCredentials(Optional<BasicCredential> fromUrl, String credentialUrl, CredentialHelper helper) {
        this.fromUrl = fromUrl;
        this.credentialUrl = credentialUrl;
        this.helper = helper;
    }

    /** Only what {@code url} carries; a 401 is final. */
    public static RemoteCredentials ofUrl(P2pHttpUrl url) {
        return new RemoteCredentials(url.credential(), url.url(), null);
    }

    /**
     * What {@code url} carries, else what {@code helper} gives for {@code credentialUrl} after a 401.
     *
     * @param credentialUrl the url credentials are asked for (see {@link #credentialUrl})
     */
    public static RemoteCredentials of(P2pHttpUrl url, String credentialUrl, CredentialHelper helper) {
        return new RemoteCredentials(url.credential(), credentialUrl, helper);
    }

    /**
     * The url git-annex asks git's credential helpers about for an annex+http remote: the remote's
     * git url when that is http(s) on the same host (so the user and password of git push and pull
     * serve), else the annex+http url itself.
     */
    public static String credentialUrl(P2pHttpUrl url, String gitUrl) {
        if (gitUrl != null && (gitUrl.startsWith("http://") || gitUrl.startsWith("https://"))) {
            try {
                String host = URI.create(gitUrl).getHost();
                if (host != null && host.equalsIgnoreCase(url.base().getHost())) {
                    return gitUrl;
                }
            } catch (IllegalArgumentException e) {
                // not a url git-annex could compare either
            }
        }
        return url.url();
    }

    /** The {@code Authorization} header to send now, if any. */
    public Optional<String> authorization() {
        if (fromUrl.isPresent()) {
            return fromUrl.map(BasicCredential::authorization);
        }
        lock.lock();
        try {
            return Optional.ofNullable(filled).map(BasicCredential::authorization);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The remote answered 401 to a request sent with {@code sent}: the authorization to send it
     * again with, or empty when there is none to try (the url's own was refused, no helper knows
     * one, or the one filled was refused, which is then rejected).
     */
    public Optional<String> afterUnauthorized(Optional<String> sent) {
        if (fromUrl.isPresent() || helper == null) {
            return Optional.empty();
        }
        lock.lock();
        try {
            if (filled != null) {
                if (sent.isPresent() && sent.get().equals(filled.authorization())) {
                    helper.reject(credentialUrl, filled);
                    filled = null;
                    approved = false;
                    return Optional.empty();
                }
                return Optional.of(filled.authorization());
            }
            if (sent.isPresent()) {
                return Optional.empty();
            }
            filled = helper.fill(credentialUrl).orElse(null);
            return Optional.ofNullable(filled).map(BasicCredential::authorization);
        } finally {
            lock.unlock();
        }
    }

    /** A request sent with {@code sent} was accepted: a credential filled is approved, once. */
    public void accepted(Optional<String> sent) {
        if (fromUrl.isPresent() || helper == null || sent.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            if (filled != null && !approved && sent.get().equals(filled.authorization())) {
                approved = true;
                helper.approve(credentialUrl, filled);
            }
        } finally {
            lock.unlock();
        }
    }
}
