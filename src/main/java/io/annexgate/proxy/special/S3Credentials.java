package io.annexgate.proxy.special;

import io.annexgate.protocol.AnnexUuid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An S3 remote's access key pair, found where git-annex's {@code Creds.getRemoteCredPair} finds it,
 * in the same order: the environment ({@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY},
 * both set; plus {@code AWS_SESSION_TOKEN} when set), else the cache git-annex writes when
 * {@code initremote} or {@code enableremote} runs with credentials
 * ({@code annex/creds/<uuid>}: the key id and the secret, a line each), else the credentials
 * embedded in remote.log ({@code s3creds}: those two lines in base64; only unencrypted remotes
 * get here, so they are never gpg-encrypted).
 */
public record S3Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {

    static final String ACCESS_KEY_VARIABLE = "AWS_ACCESS_KEY_ID";
    static final String SECRET_KEY_VARIABLE = "AWS_SECRET_ACCESS_KEY";
    static final String SESSION_TOKEN_VARIABLE = "AWS_SESSION_TOKEN";

    @Override
    public String toString() {
        return "S3Credentials[" + accessKeyId + "]";
    }

    /** Where these came from, for logs. */
    public enum Source { ENVIRONMENT, CACHE_FILE, REMOTE_LOG }

    /** Credentials and where they were found. */
    public record Found(S3Credentials credentials, Source source) { }

    /**
     * The credentials for remote {@code uuid}: {@code env} is the server's environment,
     * {@code annexDir} the served repository's {@code annex} directory, {@code remoteLog} the
     * remote's configuration.
     */
    public static Optional<Found> find(AnnexUuid uuid, Map<String, String> remoteLog, Path annexDir,
            Map<String, String> env) throws IOException {
        String token = env.get(SESSION_TOKEN_VARIABLE);
        String id = env.get(ACCESS_KEY_VARIABLE);
        String secret = env.get(SECRET_KEY_VARIABLE);
        if (id != null && secret != null) {
            return Optional.of(new Found(new S3Credentials(id, secret, token), Source.ENVIRONMENT));
        }
        Path cached = annexDir.resolve("creds").resolve(uuid.value());
        if (uuid.value().indexOf('/') < 0 && !uuid.value().startsWith(".")) {
            try {
                Optional<S3Credentials> pair = decode(Files.readString(cached, StandardCharsets.UTF_8), token);
                if (pair.isPresent()) {
                    return Optional.of(new Found(pair.get(), Source.CACHE_FILE));
                }
            } catch (NoSuchFileException e) {
                // not cached
            }
        }
        String embedded = remoteLog.get("s3creds");
        if (embedded != null) {
            try {
                String text = new String(Base64.getDecoder().decode(embedded.strip()), StandardCharsets.UTF_8);
                return decode(text, token).map(c -> new Found(c, Source.REMOTE_LOG));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** git-annex's {@code decodeCredPair}: exactly two lines. */
    static Optional<S3Credentials> decode(String text, String sessionToken) {
        List<String> lines = text.lines().toList();
        if (lines.size() != 2 || lines.get(0).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new S3Credentials(lines.get(0), lines.get(1), sessionToken));
    }
}
