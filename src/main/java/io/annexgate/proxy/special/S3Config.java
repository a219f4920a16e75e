package io.annexgate.proxy.special;

import io.annexgate.protocol.Key;
import io.annexgate.repository.DataSize;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * An {@code S3} special remote's configuration from its remote.log entry, read as git-annex's
 * {@code Remote/S3.hs} reads it, for the remotes Annexgate stores to itself: unencrypted and
 * unchunked, neither versioned nor exporttree/importtree, not the Internet Archive.
 *
 * <p>What git-annex does with each field, and so do we:
 * <ul>
 * <li>{@code bucket}, lower-cased; an object is named {@code fileprefix} followed by the key;
 * <li>{@code host} (default {@code s3.amazonaws.com}, which means Amazon's endpoint for
 *     {@code datacenter}: {@code US}, {@code EU}, or a region); {@code port} (80, or 443 for
 *     https, also when 80 is given with {@code protocol=https}); {@code protocol} (http unless
 *     the port is 443); {@code requeststyle=path} for path-style requests, else the bucket is a
 *     host name below the endpoint;
 * <li>{@code region}, else {@code datacenter}, is the region requests are signed for
 *     ({@code US} is us-east-1 and {@code EU} eu-west-1, as Amazon's location constraints);
 * <li>{@code storageclass} (default STANDARD) and {@code public=yes} (the canned ACL public-read),
 *     {@code x-amz-meta-*} (object metadata) and {@code x-amz-tagging} are sent with every object
 *     stored; {@code partsize} is the part size of multipart uploads.
 * </ul>
 * One difference: git-annex signs requests to hosts other than Amazon's with AWS signature v2
 * unless {@code signature=v4}; the AWS SDK signs only with v4, which S3-compatible servers take.
 * A remote configured {@code signature=v2} or {@code anonymous} is therefore not stored to here.
 */
public record S3Config(
        String bucket,
        String filePrefix,
        URI endpoint,
        String region,
        boolean pathStyle,
        String storageClass,
        boolean publicRead,
        OptionalLong partSize,
        Map<String, String> metadata,
        String tagging) {

    /** git-annex's default S3 host: the endpoint then follows the datacenter. */
    static final String AWS_DEFAULT_HOST = "s3.amazonaws.com";

    public S3Config {
        metadata = Map.copyOf(metadata);
    }

    /** What a remote.log entry says about storing here. */
    public sealed interface Parsed {
        /** Annexgate can store to the remote itself. */
        record Usable(S3Config config) implements Parsed { }

        /** git-annex has to: the reason why. */
        record Unsupported(String reason) implements Parsed { }
    }

    /** The object an S3 remote keeps {@code key} in, as git-annex names it. */
    public String objectName(Key key) {
        return filePrefix + key.serialize();
    }

    /** Reads an {@code S3} remote's remote.log configuration. */
    public static Parsed parse(Map<String, String> c) {
        if (!"S3".equals(c.get("type"))) {
            return unsupported("not an S3 remote");
        }
        String encryption = c.getOrDefault("encryption", "none");
        if (!encryption.equals("none") || c.containsKey("cipher") || c.containsKey("cipherkeys")
                || c.containsKey("pubkeys")) {
            return unsupported("encrypted (encryption=" + encryption + ")");
        }
        for (String field : new String[] {"chunk", "chunksize"}) {
            String value = c.get(field);
            if (value != null) {
                OptionalLong size = DataSize.parse(value);
                if (size.isEmpty() || size.getAsLong() != 0) {
                    return unsupported("chunked (" + field + "=" + value + ")");
                }
            }
        }
        for (String field : new String[] {"versioning", "exporttree", "importtree", "restore"}) {
            if (yes(c.get(field))) {
                return unsupported(field + "=yes");
            }
        }
        if (c.containsKey("mungekeys")) {
            return unsupported("mungekeys=" + c.get("mungekeys"));
        }
        String signature = c.get("signature");
        if (signature != null && !signature.equals("v4")) {
            return unsupported("signature=" + signature);
        }
        String bucket = c.get("bucket");
        if (bucket == null || bucket.isEmpty()) {
            return unsupported("no bucket configured");
        }
        String host = c.getOrDefault("host", AWS_DEFAULT_HOST);
        if (host.toLowerCase(Locale.ROOT).endsWith(".archive.org")) {
            return unsupported("Internet Archive");
        }
        String datacenter = c.getOrDefault("datacenter", "US");

        String protocolField = c.get("protocol");
        if (protocolField != null && !protocolField.equals("http") && !protocolField.equals("https")) {
            return unsupported("bad S3 protocol value: " + protocolField);
        }
        int port;
        String portField = c.get("port");
        if (portField != null) {
            try {
                port = Integer.parseInt(portField.strip());
            } catch (NumberFormatException e) {
                return unsupported("bad S3 port value: " + portField);
            }
            if (port == 80 && "https".equals(protocolField)) {
                port = 443;
            }
        } else {
            port = "https".equals(protocolField) ? 443 : 80;
        }
        String protocol = protocolField != null ? protocolField : port == 443 ? "https" : "http";
        String requestStyle = c.get("requeststyle");
        if (requestStyle != null && !requestStyle.equals("path")) {
            return unsupported("bad S3 requeststyle value: " + requestStyle);
        }
        String endpointHost = host.equals(AWS_DEFAULT_HOST) ? awsHostName(datacenter) : host;
        URI endpoint;
        try {
            endpoint = new URI(protocol, null, endpointHost, port, null, null, null);
        } catch (java.net.URISyntaxException e) {
            return unsupported("bad S3 host value: " + host);
        }
        String region = c.containsKey("region") ? c.get("region") : regionOf(datacenter);

        OptionalLong partSize = OptionalLong.empty();
        String partSizeField = c.get("partsize");
        if (partSizeField != null) {
            partSize = DataSize.parse(partSizeField);
            if (partSize.isEmpty()) {
                return unsupported("bad partsize value: " + partSizeField);
            }
        }
        Map<String, String> metadata = new TreeMap<>();
        c.forEach((name, value) -> {
            if (name.startsWith("x-amz-meta-")) {
                metadata.put(name.substring("x-amz-meta-".length()), value);
            }
        });
        return new Parsed.Usable(new S3Config(bucket.toLowerCase(Locale.ROOT), c.getOrDefault("fileprefix", ""),
                endpoint, region, requestStyle != null, c.getOrDefault("storageclass", "STANDARD"),
                yes(c.get("public")), partSize, metadata, c.get("x-amz-tagging")));
    }

    private static Parsed unsupported(String reason) {
        return new Parsed.Unsupported(reason);
    }

    private static boolean yes(String value) {
        return value != null && (value.equals("yes") || value.equals("true"));
    }

    /** git-annex's {@code s3HostName}: Amazon's endpoint for a datacenter. */
    static String awsHostName(String datacenter) {
        return switch (datacenter) {
            case "US" -> "s3.amazonaws.com";
            case "EU" -> "s3-eu-west-1.amazonaws.com";
            case "cn-north-1" -> "s3.cn-north-1.amazonaws.com.cn";
            default -> "s3-" + datacenter + ".amazonaws.com";
        };
    }

    /** The region a datacenter is in: {@code US} and {@code EU} are Amazon's old location constraints. */
    static String regionOf(String datacenter) {
        return switch (datacenter) {
            case "US" -> "us-east-1";
            case "EU" -> "eu-west-1";
            default -> datacenter;
        };
    }
}
