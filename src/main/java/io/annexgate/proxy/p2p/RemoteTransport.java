package io.annexgate.proxy.p2p;

import io.annexgate.protocol.AnnexUuid;
import java.io.IOException;

/**
 * How to reach one remote that speaks the P2P protocol: a local repository through
 * git-annex-shell ({@link ShellTransport}), or one on another host through ssh and git-annex-shell
 * there ({@link SshTransport}).
 */
public interface RemoteTransport {

    /** The uuid the remote repository must have. */
    AnnexUuid remoteUuid();

    /** Opens a new channel; {@code clientUuid} is the uuid this side presents to the remote. */
    P2PChannel open(AnnexUuid clientUuid) throws IOException;
}
