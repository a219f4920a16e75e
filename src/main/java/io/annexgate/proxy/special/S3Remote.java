package io.annexgate.proxy.special;

import io.annexgate.protocol.Key;
import io.annexgate.proxy.TrustedCertificates;
import io.annexgate.repository.ByteSink;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An {@code S3} special remote stored to with the AWS SDK, object for object as git-annex does
 * it ({@link S3Config}): checkpresent is a HEAD, a get a HEAD for the size and a GET (ranged from
 * the offset), a remove a DELETE.
 *
 * <p>A put is sent to S3 while it arrives, and only becomes an object when the caller commits it
 * after verification. Up to {@value #SINGLE_PUT_LIMIT} bytes are kept in memory and sent in one
 * PUT at commit, the memory taken as the bytes arrive ({@link ArrivalBuffer}), not as announced,
 * while the server-wide {@link S3PutMemory} has room; otherwise they are streamed as below. Larger content goes up as a multipart upload, each part streamed as its bytes
 * arrive (a part is a fixed-length request, so it needs no buffer beyond a few chunks in flight),
 * completed at commit and aborted when the caller closes without committing: S3 shows no object
 * for an upload that was never completed. Parts are {@code partsize} long when the remote sets one
 * (git-annex's multipart setting; at least S3's minimum of 5 MiB), else up to 5 GiB (S3's largest
 * part, so content up to that size is one part, as git-annex's single PUT); never more than
 * S3's 10,000 parts.
 */
public final class S3Remote implements SpecialRemote, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S3Remote.class);

    /** Content up to this size is buffered and sent in one PUT at commit. */
    static final int SINGLE_PUT_LIMIT = 5 * 1024 * 1024;
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
    static final int MAX_PARTS = 10_000;
    private static final int BUFFER_SIZE = 256 * 1024;
    private static final String OCTETS = "application/octet-stream";

    private final S3Config config;
    private final S3Client client;
    private final AwsRequestOverrideConfiguration objectHeaders;
    private final S3PutMemory memory;

    /** A remote with a put memory budget of its own, {@link S3PutMemory#DEFAULT_BUDGET}. */
    public S3Remote(S3Config config, S3Credentials credentials) {
        this(config, credentials, TrustedCertificates.jdk(), S3PutMemory.unmetered(S3PutMemory.DEFAULT_BUDGET));
    }

    /**
     * As {@link #S3Remote(S3Config, S3Credentials)}, an https endpoint checked against {@code trusted},
     * content held in memory until its single PUT within {@code memory} (shared by every S3 remote).
     */
    public S3Remote(S3Config config, S3Credentials credentials, TrustedCertificates trusted, S3PutMemory memory) {
        this.config = config;
        this.memory = memory;
        AwsCredentials awsCredentials = credentials.sessionToken() == null
                ? AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())
                : AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                        credentials.sessionToken());
        this.client = S3Client.builder()
                .endpointOverride(config.endpoint())
                .region(Region.of(config.region()))
                .forcePathStyle(config.pathStyle())
                .credentialsProvider(StaticCredentialsProvider.create(awsCredentials))
                // plain requests, as git-annex sends them: S3-compatible servers need not know
                // the SDK's default CRC trailers
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(httpClient(trusted))
                .build();
        this.objectHeaders = objectHeaders(config);
    }

    private static Apache5HttpClient.Builder httpClient(TrustedCertificates trusted) {
        Apache5HttpClient.Builder builder = Apache5HttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofMinutes(2));
        trusted.trustManagers().ifPresent(managers -> builder.tlsTrustManagersProvider(() -> managers));
        return builder;
    }

    /**
     * The headers git-annex sends with every object it stores (a PUT, or the start of a multipart
     * upload): storage class, the public-read ACL, metadata and tagging.
     */
    static AwsRequestOverrideConfiguration objectHeaders(S3Config config) {
        AwsRequestOverrideConfiguration.Builder headers = AwsRequestOverrideConfiguration.builder()
                .putHeader("x-amz-storage-class", config.storageClass());
        if (config.publicRead()) {
            headers.putHeader("x-amz-acl", "public-read");
        }
        config.metadata().forEach((name, value) -> headers.putHeader("x-amz-meta-" + name, value));
        if (config.tagging() != null) {
            headers.putHeader("x-amz-tagging", config.tagging());
        }
        return headers.build();
    }

    public S3Config config() {
        return config;
    }

    @Override
    public String description() {
        return "S3 bucket " + config.bucket() + " at " + config.endpoint();
    }

    private String object(Key key) {
        return config.objectName(key);
    }

    private static boolean notFound(S3Exception e) {
        return e.statusCode() == 404;
    }

    private IOException failure(String action, Key key, SdkException e) {
        return new IOException(action + " " + key.serialize() + " in " + description() + ": " + e.getMessage(), e);
    }

    @Override
    public boolean checkPresent(Key key) throws IOException {
        return head(key).isPresent();
    }

    private Optional<HeadObjectResponse> head(Key key) throws IOException {
        try {
            return Optional.of(client.headObject(b -> b.bucket(config.bucket()).key(object(key))));
        } catch (S3Exception e) {
            if (notFound(e)) {
                return Optional.empty();
            }
            throw failure("checking", key, e);
        } catch (SdkException e) {
            throw failure("checking", key, e);
        }
    }

    @Override
    public Optional<StoredObject> retrieve(Key key) throws IOException {
        return head(key).map(h -> new S3Object(key, h.contentLength()));
    }

    /** An object found by HEAD; its bytes are fetched by a GET when sent. */
    private final class S3Object implements StoredObject {
        private final Key key;
        private final long size;

        S3Object(Key key, long size) {
            this.key = key;
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public long transferTo(long offset, ByteSink out) throws IOException {
            if (offset >= size) {
                return 0;
            }
            ResponseInputStream<GetObjectResponse> in;
            try {
                in = client.getObject(b -> {
                    b.bucket(config.bucket()).key(object(key));
                    if (offset > 0) {
                        b.range("bytes=" + offset + "-");
                    }
                });
            } catch (SdkException e) {
                throw failure("reading", key, e);
            }
            long sent = 0;
            boolean complete = false;
            try {
                byte[] buffer = new byte[BUFFER_SIZE];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(ByteBuffer.wrap(buffer, 0, n));
                    sent += n;
                }
                complete = true;
            } finally {
                if (!complete) {
                    in.abort();
                }
                in.close();
            }
            return sent;
        }

        @Override
        public void close() {
        }
    }

    @Override
    public boolean remove(Key key) throws IOException {
        try {
            client.deleteObject(b -> b.bucket(config.bucket()).key(object(key)));
            return true;
        } catch (SdkException e) {
            throw failure("removing", key, e);
        }
    }

    /**
     * Content up to {@value #SINGLE_PUT_LIMIT} bytes is held for one PUT when the server-wide
     * {@link S3PutMemory} has room for it; larger content, or any when the memory is spent, is
     * streamed as a multipart upload.
     */
    @Override
    public Storing store(Key key, long size) throws IOException {
        if (size <= SINGLE_PUT_LIMIT) {
            Optional<S3PutMemory.Reservation> reserved = memory.reserve(size);
            if (reserved.isPresent()) {
                return new SinglePut(key, (int) size, reserved.get());
            }
        }
        return new MultipartPut(key, size, partSize(size));
    }

    /** The part size for content of {@code size} bytes. */
    long partSize(long size) {
        long part = config.partSize().orElse(MAX_PART_SIZE);
        part = Math.max(part, MIN_PART_SIZE);
        long fewestParts = (size + MAX_PARTS - 1) / MAX_PARTS;
        return Math.max(part, fewestParts);
    }

    /** Small content: kept in memory as it arrives, one PUT at commit. */
    private final class SinglePut implements Storing {
        private final Key key;
        private final ArrivalBuffer buffer;
        private final S3PutMemory.Reservation reservation;

        SinglePut(Key key, int size, S3PutMemory.Reservation reservation) {
            this.key = key;
            this.buffer = new ArrivalBuffer(size);
            this.reservation = reservation;
        }

        @Override
        public OutputStream out() {
            return buffer;
        }

        @Override
        public void commit() throws IOException {
            if (buffer.size() != buffer.limit()) {
                throw new IOException("stored " + buffer.size() + " bytes of " + buffer.limit());
            }
            try {
                client.putObject(b -> b.bucket(config.bucket()).key(object(key)).overrideConfiguration(objectHeaders),
                        RequestBody.fromContentProvider(buffer::stream, buffer.size(), OCTETS));
            } catch (SdkException e) {
                throw failure("storing", key, e);
            }
        }

        @Override
        public void close() {
            buffer.clear();
            reservation.close();
        }
    }

    /**
     * Large content: a multipart upload whose parts are sent while the bytes arrive, each by an
     * UploadPart running on a virtual thread and reading from a {@link PartPipe}.
     */
    private final class MultipartPut extends OutputStream implements Storing {
        private final Key key;
        private final long size;
        private final long partSize;
        private final String uploadId;
        private final List<CompletableFuture<CompletedPart>> parts = new ArrayList<>();
        private PartPipe current;
        private long currentRemaining;
        private long written;
        private boolean committed;
        private boolean closed;

        MultipartPut(Key key, long size, long partSize) throws IOException {
            this.key = key;
            this.size = size;
            this.partSize = partSize;
            try {
                this.uploadId = client.createMultipartUpload(b -> b.bucket(config.bucket()).key(object(key))
                        .overrideConfiguration(objectHeaders)).uploadId();
            } catch (SdkException e) {
                throw failure("starting the upload of", key, e);
            }
        }

        @Override
        public OutputStream out() {
            return this;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (closed || committed) {
                throw new IOException("upload already ended");
            }
            if (written + len > size) {
                throw new IOException("more than the announced " + size + " bytes");
            }
            while (len > 0) {
                if (current == null) {
                    startPart();
                }
                int n = (int) Math.min(len, currentRemaining);
                current.put(Arrays.copyOfRange(b, off, off + n), parts.getLast());
                off += n;
                len -= n;
                written += n;
                currentRemaining -= n;
                if (currentRemaining == 0) {
                    current.finish(parts.getLast());
                    current = null;
                }
            }
        }

        private void startPart() {
            int number = parts.size() + 1;
            long length = Math.min(partSize, size - written);
            PartPipe pipe = new PartPipe();
            CompletableFuture<CompletedPart> done = new CompletableFuture<>();
            Thread.ofVirtual().name("annexgate-s3-part").start(() -> {
                try {
                    String etag = client.uploadPart(b -> b.bucket(config.bucket()).key(object(key))
                                    .uploadId(uploadId).partNumber(number).contentLength(length),
                            RequestBody.fromContentProvider(pipe.provider(), length, OCTETS)).eTag();
                    done.complete(CompletedPart.builder().partNumber(number).eTag(etag).build());
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                } finally {
                    pipe.readerGone();
                }
            });
            parts.add(done);
            current = pipe;
            currentRemaining = length;
        }

        @Override
        public void commit() throws IOException {
            if (written != size) {
                throw new IOException("stored " + written + " bytes of " + size);
            }
            List<CompletedPart> completed = new ArrayList<>();
            for (CompletableFuture<CompletedPart> part : parts) {
                completed.add(await(part));
            }
            try {
                client.completeMultipartUpload(b -> b.bucket(config.bucket()).key(object(key)).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(completed)));
            } catch (SdkException e) {
                throw failure("completing the upload of", key, e);
            }
            committed = true;
        }

        private CompletedPart await(CompletableFuture<CompletedPart> part) throws IOException {
            try {
                return part.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while storing " + key.serialize());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof SdkException s) {
                    throw failure("storing", key, s);
                }
                throw new IOException("storing " + key.serialize() + " in " + description() + ": " + cause, cause);
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (committed) {
                return;
            }
            if (current != null) {
                current.abandon();
            }
            for (CompletableFuture<CompletedPart> part : parts) {
                try {
                    part.get(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    // the abort below discards whatever the part got to
                }
            }
            try {
                client.abortMultipartUpload(b -> b.bucket(config.bucket()).key(object(key)).uploadId(uploadId));
            } catch (SdkException e) {
                log.warn("cannot abort the upload of {} to {} (upload id {}): {}", key.serialize(), description(),
                        uploadId, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
