package io.annexgate.proxy.p2p;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * How ssh is run, as git-annex runs it ({@code Annex/Ssh.hs} sshCommand, {@code Git/Ssh.hs}):
 * {@code program host [annex-ssh-options] [-p port] -T 'remote command'}; or, when
 * {@code GIT_ANNEX_USE_GIT_SSH=1}, {@code GIT_SSH_COMMAND} (else {@code GIT_SSH}) with exactly git's
 * parameters {@code host [-p port] 'remote command'}. A command with white space in it is run by
 * {@code sh -c}, its parameters shell-quoted after it, as git does with {@code GIT_SSH_COMMAND}.
 * git-annex's ssh connection caching is not used; the proxy's connection pool keeps connections.
 *
 * @param program the ssh program ({@code ssh} unless configured otherwise)
 * @param gitSshCommand {@code GIT_SSH_COMMAND}, when {@code GIT_ANNEX_USE_GIT_SSH=1}
 * @param gitSsh {@code GIT_SSH}, when {@code GIT_ANNEX_USE_GIT_SSH=1}
 */
public record SshCommand(String program, Optional<String> gitSshCommand, Optional<String> gitSsh) {

    /** Plain {@code ssh} from the PATH. */
    public static final SshCommand DEFAULT = new SshCommand("ssh", Optional.empty(), Optional.empty());

    /** {@code program}, or the git variables {@code environment} names when it sets {@code GIT_ANNEX_USE_GIT_SSH=1}. */
    public static SshCommand of(String program, UnaryOperator<String> environment) {
        boolean useGitSsh = "1".equals(environment.apply("GIT_ANNEX_USE_GIT_SSH"));
        return new SshCommand(program == null || program.isBlank() ? "ssh" : program.strip(),
                useGitSsh ? nonEmpty(environment.apply("GIT_SSH_COMMAND")) : Optional.empty(),
                useGitSsh ? nonEmpty(environment.apply("GIT_SSH")) : Optional.empty());
    }

    private static Optional<String> nonEmpty(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** The command line that runs {@code remoteCommand} (already shell-quoted) on {@code hostUser}. */
    public List<String> argv(String hostUser, OptionalInt port, List<String> sshOptions, String remoteCommand) {
        List<String> portParams = port.isPresent() ? List.of("-p", Integer.toString(port.getAsInt())) : List.of();
        List<String> params = new ArrayList<>();
        params.add(hostUser);
        if (gitSshCommand.isPresent() || gitSsh.isPresent()) {
            params.addAll(portParams);
            params.add(remoteCommand);
            return gitSshCommand.map(c -> run(c, params)).orElseGet(() -> prepend(gitSsh.get(), params));
        }
        params.addAll(sshOptions);
        params.addAll(portParams);
        params.add("-T");
        params.add(remoteCommand);
        return run(program, params);
    }

    /** A command as git runs {@code GIT_SSH_COMMAND}: by the shell when it has white space, else directly. */
    private static List<String> run(String command, List<String> params) {
        if (command.chars().anyMatch(Character::isWhitespace)) {
            return List.of("sh", "-c", command + " " + params.stream().map(SshCommand::shellEscape)
                    .collect(Collectors.joining(" ")));
        }
        return prepend(command, params);
    }

    private static List<String> prepend(String command, List<String> params) {
        List<String> argv = new ArrayList<>(params.size() + 1);
        argv.add(command);
        argv.addAll(params);
        return argv;
    }

    /** git-annex's shellEscape: single quotes around, each {@code '} as {@code '"'"'}. */
    public static String shellEscape(String s) {
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }
}
