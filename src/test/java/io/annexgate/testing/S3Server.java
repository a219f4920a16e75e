package io.annexgate.testing;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server in this JVM: s3proxy over jclouds' in-memory ("transient") blob store, on a
 * free loopback port, taking AWS signatures v2 and v4 (git-annex signs with v2 for hosts other
 * than Amazon's, the AWS SDK with v4). s3proxy's jar carries its own Jetty 11, shaded, so it runs
 * beside Spring Boot's Jetty 12.
 */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "annexgate-test-access";
    public static final String SECRET_KEY = "annexgate-test-secret";

    private final BlobStoreContext context;
    private final S3Proxy proxy;

    private S3Server(BlobStoreContext context, S3Proxy proxy) {
        this.context = context;
        this.proxy = proxy;
    }

    public static S3Server start() {
        return start(S3Proxy.builder().endpoint(URI.create("http://127.0.0.1:0")));
    }

    /** Over https only, with the key and certificate of the PKCS12 {@code keyStore}. */
    public static S3Server startHttps(java.nio.file.Path keyStore, String password) {
        return start(S3Proxy.builder().secureEndpoint(URI.create("https://127.0.0.1:0"))
                .keyStore(keyStore.toString(), password));
    }

    private static S3Server start(S3Proxy.Builder builder) {
        BlobStoreContext context = ContextBuilder.newBuilder("transient")
                .credentials("identity", "credential")
                .build(BlobStoreContext.class);
        S3Proxy proxy = builder
                .blobStore(context.getBlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            context.close();
            throw new IllegalStateException("cannot start s3proxy", e);
        }
        Awaitility.await("s3proxy started").atMost(Duration.ofSeconds(30)).until(() -> "STARTED".equals(proxy.getState()));
        return new S3Server(context, proxy);
    }

    public int port() {
        return proxy.getPort();
    }

    /** The port of the https endpoint ({@link #startHttps}). */
    public int securePort() {
        return proxy.getSecurePort();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    /** The blob store behind the server, to look at what is stored without going through S3. */
    public BlobStore blobStore() {
        return context.getBlobStore();
    }

    /** The keys of multipart uploads begun in {@code bucket} and neither completed nor aborted, asked over S3. */
    public Set<String> pendingUploads(String bucket) {
        try (S3Client sdk = S3Client.builder().endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))).build()) {
            Set<String> keys = new TreeSet<>();
            sdk.listMultipartUploads(b -> b.bucket(bucket)).uploads().forEach(u -> keys.add(u.key()));
            return keys;
        }
    }

    /** The names of the objects in {@code bucket}, read from the blob store behind the server. */
    public Set<String> objects(String bucket) {
        Set<String> names = new TreeSet<>();
        for (StorageMetadata m : blobStore().list(bucket, ListContainerOptions.Builder.recursive())) {
            names.add(m.getName());
        }
        return names;
    }

    public void createBucket(String bucket) {
        blobStore().createContainerInLocation(null, bucket);
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            // stopping a test server
        } finally {
            context.close();
        }
    }
}
