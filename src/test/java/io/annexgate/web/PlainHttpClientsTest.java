package io.annexgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Command;
import io.annexgate.testing.RawApi;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key GET for HTTP clients other than git-annex: byte ranges and validators (issue 13). */
class PlainHttpClientsTest {

    static final long BIG = (3L << 30) + 17;
    static final long MARK = (2L << 30) + 5;
    static final byte[] MARK_BYTES = "past two GiB".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path tmp;

    static AnnexRepo served;
    static AnnexgateServer server;
    static RawApi api;
    static byte[] data;
    static String key;
    static String emptyKey;
    static String bigKey;

    @BeforeAll
    static void start() throws IOException {
        served = AnnexRepo.init(tmp, "served");
        data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        key = served.add("data.bin", data);
        emptyKey = served.add("empty.bin", new byte[0]);
        // a sparse file over 2 GiB, added under a WORM key so nothing reads it to hash it
        try (RandomAccessFile f = new RandomAccessFile(served.dir().resolve("big.bin").toFile(), "rw")) {
            f.setLength(BIG);
            f.seek(MARK);
            f.write(MARK_BYTES);
        }
        served.annex("add", "-q", "--backend=WORM", "big.bin");
        served.git("commit", "-q", "-m", "big");
        bigKey = served.key("big.bin");
        server = AnnexgateServer.serve(served.dir(), "--wideopen");
        api = new RawApi(server, served.uuid());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String keyPath(String k) {
        return "/git-annex/" + served.uuid() + "/key/" + k;
    }

    static RawApi.Response get(String k, String range) {
        return api.raw("GET", keyPath(k), range == null ? Map.of() : Map.of("Range", range), null);
    }

    static void assertSlice(RawApi.Response r, int first, int last) {
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Range")).isEqualTo("bytes " + first + "-" + last + "/" + data.length);
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(last - first + 1));
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(data, first, last + 1));
        assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
    }

    @Test
    void singleRangesAnswer206WithExactlyThoseBytes() {
        assertSlice(get(key, "bytes=0-0"), 0, 0);
        assertSlice(get(key, "bytes=999-999"), 999, 999);
        assertSlice(get(key, "bytes=100-199"), 100, 199);
        assertSlice(get(key, "bytes=-10"), 990, 999);
        assertSlice(get(key, "bytes=400-"), 400, 999);
        assertSlice(get(key, "bytes=990-5000"), 990, 999);
    }

    @Test
    void pastTheEndIs416WithTheSize() {
        RawApi.Response r = get(key, "bytes=1000-");
        assertThat(r.status()).isEqualTo(416);
        assertThat(r.header("Content-Range")).isEqualTo("bytes */1000");
        assertThat(r.body()).isEmpty();
        RawApi.Response empty = get(emptyKey, "bytes=0-");
        assertThat(empty.status()).isEqualTo(416);
        assertThat(empty.header("Content-Range")).isEqualTo("bytes */0");
        RawApi.Response suffixOfEmpty = get(emptyKey, "bytes=-5");
        assertThat(suffixOfEmpty.status()).isEqualTo(200);
        assertThat(suffixOfEmpty.body()).isEmpty();
    }

    @Test
    void severalRangesOrNoneGiveTheWholeObject() {
        RawApi.Response several = get(key, "bytes=0-1,5-6");
        assertThat(several.status()).isEqualTo(200);
        assertThat(several.body()).isEqualTo(data);
        RawApi.Response plain = get(key, null);
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.body()).isEqualTo(data);
        // what a git-annex client sees is unchanged: no new headers unless advertising is on
        assertThat(plain.header("Accept-Ranges")).isNull();
        assertThat(plain.header("ETag")).isNull();
        assertThat(plain.header("Cache-Control")).isNull();
    }

    @Test
    void headWithARangeHasTheHeadersAndNoBody() {
        RawApi.Response r = api.raw("HEAD", keyPath(key), Map.of("Range", "bytes=10-19"), null);
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Range")).isEqualTo("bytes 10-19/1000");
        assertThat(r.header("Content-Length")).isEqualTo("10");
        assertThat(r.header("ETag")).isEqualTo("\"" + key + "\"");
        assertThat(r.body()).isEmpty();
    }

    @Test
    void versionedGetCountsTheRangeInItsDataLengthAndIgnoresRangeWithOffset() {
        RawApi.Response r = api.raw("GET", api.path("v4", "key/" + key, RawApi.query("clientuuid", RawApi.CLIENT)),
                Map.of("Range", "bytes=100-199"), null);
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("X-git-annex-data-length")).isEqualTo("100");
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(data, 100, 200));
        RawApi.Response withOffset = api.raw("GET",
                api.path("v4", "key/" + key, RawApi.query("clientuuid", RawApi.CLIENT, "offset", 900)),
                Map.of("Range", "bytes=0-9"), null);
        assertThat(withOffset.status()).isEqualTo(200);
        assertThat(withOffset.header("X-git-annex-data-length")).isEqualTo("100");
        assertThat(withOffset.body()).isEqualTo(Arrays.copyOfRange(data, 900, 1000));
    }

    @Test
    void rangesPastTwoGibibytes() {
        RawApi.Response r = get(bigKey, "bytes=" + MARK + "-" + (MARK + MARK_BYTES.length - 1));
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Range")).isEqualTo("bytes " + MARK + "-" + (MARK + MARK_BYTES.length - 1) + "/" + BIG);
        assertThat(r.body()).isEqualTo(MARK_BYTES);
        RawApi.Response tail = get(bigKey, "bytes=-4");
        assertThat(tail.header("Content-Range")).isEqualTo("bytes " + (BIG - 4) + "-" + (BIG - 1) + "/" + BIG);
        assertThat(tail.body()).isEqualTo(new byte[4]);
        RawApi.Response head = api.raw("HEAD", keyPath(bigKey), Map.of("Range", "bytes=0-"), null);
        assertThat(head.status()).isEqualTo(206);
        assertThat(head.header("Content-Length")).isEqualTo(Long.toString(BIG));
        // a WORM key names no bytes: no ETag, no caching
        assertThat(head.header("ETag")).isNull();
        assertThat(head.header("Cache-Control")).isNull();
        assertThat(get(bigKey, "bytes=" + BIG + "-").status()).isEqualTo(416);
    }

    @Test
    void validators() {
        String etag = "\"" + key + "\"";
        RawApi.Response fresh = api.raw("GET", keyPath(key), Map.of("If-None-Match", etag), null);
        assertThat(fresh.status()).isEqualTo(304);
        assertThat(fresh.header("ETag")).isEqualTo(etag);
        assertThat(fresh.body()).isEmpty();
        RawApi.Response headFresh = api.raw("HEAD", keyPath(key), Map.of("If-None-Match", "\"other\", " + etag), null);
        assertThat(headFresh.status()).isEqualTo(304);
        RawApi.Response stale = api.raw("GET", keyPath(key), Map.of("If-None-Match", "\"SHA256E-s1--00\""), null);
        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(data);
        assertThat(stale.header("ETag")).isEqualTo(etag);
        assertThat(stale.header("Cache-Control")).isEqualTo("max-age=31536000, immutable");
        RawApi.Response wrongIfRange = api.raw("GET", keyPath(key), Map.of("Range", "bytes=0-9", "If-Range", "\"other\""), null);
        assertThat(wrongIfRange.status()).isEqualTo(200);
        assertThat(wrongIfRange.body()).isEqualTo(data);
        RawApi.Response dateIfRange = api.raw("GET", keyPath(key),
                Map.of("Range", "bytes=0-9", "If-Range", "Sat, 01 Jan 2000 00:00:00 GMT"), null);
        assertThat(dateIfRange.status()).isEqualTo(200);
        assertSlice(api.raw("GET", keyPath(key), Map.of("Range", "bytes=0-9", "If-Range", etag), null), 0, 9);
        RawApi.Response wormIfRange = api.raw("HEAD", keyPath(bigKey), Map.of("Range", "bytes=0-9", "If-Range", "\"" + bigKey + "\""), null);
        assertThat(wormIfRange.status()).isEqualTo(200);
        assertThat(wormIfRange.header("Content-Length")).isEqualTo(Long.toString(BIG));
    }

    @Test
    void advertisedWhenAskedTo() {
        try (AnnexgateServer advertising = AnnexgateServer.serve(served.dir(), "--wideopen",
                "--annexgate.plain-http.advertise=true", "--annexgate.plain-http.max-age=1h")) {
            RawApi other = new RawApi(advertising, served.uuid());
            RawApi.Response head = other.raw("HEAD", keyPath(key), Map.of(), null);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Accept-Ranges")).isEqualTo("bytes");
            assertThat(head.header("ETag")).isEqualTo("\"" + key + "\"");
            assertThat(head.header("Cache-Control")).isEqualTo("max-age=3600, immutable");
            RawApi.Response v4 = other.get("v4", key);
            assertThat(v4.header("ETag")).isEqualTo("\"" + key + "\"");
            assertThat(v4.body()).isEqualTo(data);
        }
    }

    @Test
    void curlAsAClient() throws IOException {
        Path out = tmp.resolve("curl.out");
        String url = server.baseUrl() + keyPath(key);
        Command.Result r = Command.run(tmp, "curl", "-sS", "-r", "100-199", "-o", out.toString(), "-w", "%{http_code}", url);
        assertThat(r.output().strip()).isEqualTo("206");
        assertThat(Files.readAllBytes(out)).isEqualTo(Arrays.copyOfRange(data, 100, 200));
    }

    @Test
    void pythonHttpClientAsAClient() {
        String script = String.join("\n",
                "import http.client, sys, hashlib",
                "c = http.client.HTTPConnection('127.0.0.1', int(sys.argv[1]))",
                "c.request('GET', sys.argv[2], headers={'Range': 'bytes=-16'})",
                "r = c.getresponse()",
                "print(r.status, r.getheader('Content-Range'), r.read().hex())");
        Command.Result r = Command.run(tmp, "python3", "-c", script, Integer.toString(server.port()), keyPath(key));
        assertThat(r.output().strip()).isEqualTo("206 bytes 984-999/1000 "
                + java.util.HexFormat.of().formatHex(Arrays.copyOfRange(data, 984, 1000)));
    }
}
