package io.annexgate.proxy.p2p;

import io.annexgate.protocol.AnnexUuid;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A repository on another host, reached as git-annex reaches it ({@code Remote/Helper/Ssh.hs}
 * git_annex_shell): ssh runs {@code git-annex-shell 'p2pstdio' '<path>' '<client uuid>' --uuid <remote uuid>}
 * there, which refuses to start unless the repository has the remote uuid and then opens with
 * AUTH-SUCCESS. The ssh process's stdin and stdout carry the P2P protocol.
 *
 * @param location host, port and path from the remote's url
 * @param remoteUuid the uuid the remote repository must have ({@code remote.NAME.annex-uuid})
 * @param ssh how ssh is run
 * @param sshOptions {@code remote.NAME.annex-ssh-options} (else {@code annex.ssh-options}), split at white space
 * @param annexShell {@code remote.NAME.annex-shell} (else {@code annex.shell}), else {@code git-annex-shell};
 *     put in the remote command as it is, unquoted, as git-annex does
 * @param workingDirectory where ssh runs (the served repository)
 */
public record SshTransport(SshLocation location, AnnexUuid remoteUuid, SshCommand ssh, List<String> sshOptions,
        String annexShell, Path workingDirectory) implements RemoteTransport {

    public SshTransport {
        sshOptions = List.copyOf(sshOptions);
    }

    /** What the remote's shell runs. */
    String remoteCommand(AnnexUuid clientUuid) {
        return annexShell + " " + SshCommand.shellEscape("p2pstdio") + " " + SshCommand.shellEscape(file(location.path()))
                + " " + SshCommand.shellEscape(clientUuid.value()) + " --uuid " + remoteUuid.value();
    }

    /** The whole local command line. */
    List<String> command(AnnexUuid clientUuid) {
        return ssh.argv(location.hostUser(), location.port(), sshOptions, remoteCommand(clientUuid));
    }

    /** git-annex's File parameter: a path starting with something other than a letter, digit, / or . gets ./ before it. */
    private static String file(String path) {
        if (path.isEmpty()) {
            return path;
        }
        char first = path.charAt(0);
        return Character.isLetterOrDigit(first) || first == '/' || first == '.' ? path : "./" + path;
    }

    @Override
    public P2PChannel open(AnnexUuid clientUuid) throws IOException {
        return ProcessChannel.start(command(clientUuid), workingDirectory, Map.of(),
                "ssh " + location.hostUser() + " git-annex-shell p2pstdio " + location.path());
    }
}
