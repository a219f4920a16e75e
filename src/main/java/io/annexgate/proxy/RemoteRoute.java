package io.annexgate.proxy;

import io.annexgate.proxy.http.P2pHttpUrl;
import io.annexgate.proxy.http.RemoteCredentials;
import io.annexgate.proxy.p2p.RemoteTransport;
import io.annexgate.proxy.special.SpecialRemote;

/** How the served repository reaches one remote it proxies for. */
sealed interface RemoteRoute {

    /**
     * A remote spoken to in the P2P protocol over pooled connections: a git remote (local path,
     * ssh), or a special remote of a type Annexgate does not store to itself, through
     * git-annex-shell in the served repository, which proxies for it.
     */
    record OverP2P(RemoteTransport transport) implements RemoteRoute { }

    /**
     * A git remote serving git-annex's P2P protocol over HTTP ({@code annex+http} url or
     * {@code annexUrl}), asked with {@code credentials} (kept across re-readings of the settings).
     */
    record OverHttp(P2pHttpUrl url, RemoteCredentials credentials) implements RemoteRoute { }

    /** A special remote Annexgate stores to and reads from itself. */
    record ToSpecialRemote(SpecialRemote remote) implements RemoteRoute { }

    /** Listed for the repository but not reachable; requests answer 502 with the reason. */
    record Unreachable(String reason) implements RemoteRoute { }
}
