package io.annexgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every setting of the server under {@code annexgate.*}; the flags of {@code git annex p2phttp}
 * are translated into these, so flags, properties and environment variables configure the same.
 *
 * @param port TCP port of the API ({@code --port})
 * @param bind address to listen on ({@code --bind}); all addresses when empty
 * @param socket Unix domain socket to listen on instead of TCP ({@code --socket})
 * @param repository the repository to serve when no directories are given; the working directory by default
 * @param directories serve every git-annex repository below these ({@code --directory})
 * @param jobs concurrent transfers (put and get bodies) per repository ({@code --jobs}, a number or
 *     {@code cpus}); unbounded when absent; requests past it wait
 * @param cpus concurrent uploads being hashed, server-wide ({@code --cpus}); unbounded when absent
 * @param lockedfiles content locks that may be held at once ({@code --lockedfiles})
 * @param proxyconnections idle proxy connections kept ({@code --proxyconnections})
 * @param clusterjobs concurrent node accesses per cluster request ({@code --clusterjobs})
 * @param metrics what the {@code annexgate_*} meters are tagged with
 * @param closeIdleAfter a served repository's open state (JGit repository, lock registry, journal
 *     committer) is closed after this long without requests, locks or pending journal changes
 * @param proxy how proxied remotes are reached
 * @param keeplocked what a keeplocked request's body may hold
 * @param plainHttp what the key GET tells HTTP clients other than git-annex
 * @param cors cross-origin access for pages on other origins; off while no origin is allowed
 */
@ConfigurationProperties("annexgate")
public record AnnexgateProperties(
        @DefaultValue("9417") int port,
        String bind,
        Path socket,
        Path repository,
        @DefaultValue List<Path> directories,
        String jobs,
        Integer cpus,
        @DefaultValue("100") int lockedfiles,
        @DefaultValue("1") int proxyconnections,
        @DefaultValue("1") int clusterjobs,
        @DefaultValue Auth auth,
        @DefaultValue Tls tls,
        @DefaultValue Metrics metrics,
        @DefaultValue("10m") Duration closeIdleAfter,
        @DefaultValue Proxy proxy,
        @DefaultValue Keeplocked keeplocked,
        @DefaultValue PlainHttp plainHttp,
        @DefaultValue Cors cors) {

    /**
     * CORS for the API. A preflight is answered without authentication; the request itself is
     * authenticated as any other.
     *
     * @param allowedOrigins origins whose pages may call the API ({@code https://app.example.org};
     *     a pattern such as {@code https://*.example.org}); none by default, which turns CORS off
     * @param allowedMethods methods a page may use
     * @param allowedHeaders request headers a page may send
     * @param allowCredentials whether the browser may send its stored credentials (cookies, a
     *     cached HTTP login); a page that sets {@code Authorization} itself does not need it
     * @param maxAge how long a browser may keep a preflight's answer
     */
    public record Cors(
            @DefaultValue List<String> allowedOrigins,
            @DefaultValue({"GET", "HEAD", "POST"}) List<String> allowedMethods,
            @DefaultValue({"Authorization", "Content-Type", "Range", "If-None-Match", "If-Range",
                "X-git-annex-data-length"}) List<String> allowedHeaders,
            boolean allowCredentials,
            @DefaultValue("30m") Duration maxAge) { }

    /**
     * Headers for HTTP clients other than git-annex on the key GET. Range, {@code If-None-Match}
     * and {@code If-Range} are always honoured, and the answer to a request carrying any of them
     * has {@code Accept-Ranges}, {@code ETag} and {@code Cache-Control}; a git-annex client never
     * sends them, so what it sees stays exactly what {@code git annex p2phttp} sends.
     *
     * @param advertise put {@code Accept-Ranges}, {@code ETag} and {@code Cache-Control} on every
     *     key GET and HEAD too (for caching proxies and clients that look before they ask); off by
     *     default, since the reference sends none of them
     * @param maxAge the {@code max-age} of content-addressed keys' {@code Cache-Control}
     */
    public record PlainHttp(boolean advertise, @DefaultValue("365d") Duration maxAge) { }

    /**
     * The body of a keeplocked long poll.
     *
     * @param maxLine the longest line it may send (a git-annex client sends {@code {"unlock":false}}
     *     and {@code {"unlock":true}}); a longer one is refused with 413 and the lock released
     */
    public record Keeplocked(@DefaultValue("64KB") DataSize maxLine) {

        /** {@link #maxLine} in bytes, at least 1 and at most what an array holds. */
        public int maxLineBytes() {
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE - 8, maxLine.toBytes()));
        }
    }

    /**
     * Reaching proxied remotes.
     *
     * @param sshCommand the ssh program for remotes reached over ssh, in place of {@code ssh}; a
     *     command line with white space is run by {@code sh -c}; {@code GIT_SSH_COMMAND} /
     *     {@code GIT_SSH} replace it when {@code GIT_ANNEX_USE_GIT_SSH=1}, as with git-annex
     * @param idleTimeout a pooled connection idle this long is closed (its git-annex-shell exits),
     *     even while the pool has room for it
     * @param caFile a PEM file of certificate authorities trusted for annex+https remotes and S3 endpoints besides
     *     the JDK's (an organisation's own, or the system bundle git-annex trusts)
     * @param s3PutMemory memory all puts to S3 remotes may hold at once, server-wide, until their
     *     single PUT (content up to 5 MiB); a put that does not fit is streamed as a multipart upload
     * @param maxConnections P2P connections (each a git-annex-shell or ssh process) open to one
     *     remote at once, in use or idle; a request finding them all in use waits; 0 for no bound
     * @param maxConnectionWait how long a request waits for a connection to a remote at
     *     {@code maxConnections} before it is answered 503
     */
    public record Proxy(@DefaultValue("ssh") String sshCommand, @DefaultValue("5m") Duration idleTimeout,
            Path caFile, @DefaultValue("64MB") DataSize s3PutMemory, @DefaultValue("16") int maxConnections,
            @DefaultValue("2m") Duration maxConnectionWait) { }

    /**
     * Meter settings.
     *
     * @param perRepository disk gauges per served repository (tag {@code repository}) rather than
     *     per file system; one series pair per repository, so only for a few repositories
     */
    public record Metrics(boolean perRepository) { }

    /** The access flags. */
    public record Auth(
            boolean wideopen,
            boolean unauthReadonly,
            boolean unauthAppendonly,
            boolean unauthNolocking,
            boolean authenv,
            boolean authenvHttp) { }

    /** Built-in HTTPS from PEM files. */
    public record Tls(String certfile, String privatekeyfile, @DefaultValue List<String> chainfiles) {

        public boolean enabled() {
            return certfile != null && !certfile.isBlank() && privatekeyfile != null && !privatekeyfile.isBlank();
        }
    }

    /** {@code jobs} as a number: {@code cpus} is {@code --cpus} or the processors available; 0 when absent. */
    public int jobsPerRepository() {
        if (jobs == null || jobs.isBlank()) {
            return 0;
        }
        if (jobs.trim().equals("cpus")) {
            return cpus != null && cpus > 0 ? cpus : Runtime.getRuntime().availableProcessors();
        }
        int n;
        try {
            n = Integer.parseInt(jobs.trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) {
            throw new StartupFailure("--jobs takes a number of at least 1, or cpus, not " + jobs);
        }
        return n;
    }

    public Path repositoryOrWorkingDirectory() {
        return repository != null ? repository : Path.of("").toAbsolutePath();
    }
}
