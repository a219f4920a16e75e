package io.annexgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The query string decoded as git-annex's server decodes it, leniently; the values are judged later. */
class QueryOnlyRequestTest {

    @Test
    void repeatedNamesKeepEveryValueInOrder() {
        Map<String, String[]> p = QueryOnlyRequest.parse("bypass=a&key=k&bypass=b&&flag");
        assertThat(p.get("bypass")).containsExactly("a", "b");
        assertThat(p.get("key")).containsExactly("k");
        assertThat(p.get("flag")).containsExactly("");
        assertThat(QueryOnlyRequest.parse(null)).isEmpty();
        assertThat(QueryOnlyRequest.parse("")).isEmpty();
    }

    @Test
    void percentEscapesAndPlusDecodeAsUtf8() {
        assertThat(QueryOnlyRequest.decode("dir%2Fn%C3%BCn+c%C3%B8d%C3%A9+%5Bx%5D.txt")).isEqualTo("dir/nün cødé [x].txt");
        assertThat(QueryOnlyRequest.decode("a%2Bb")).isEqualTo("a+b");
        assertThat(QueryOnlyRequest.decode("a%00b")).isEqualTo("a\u0000b");
    }

    @Test
    void whatDoesNotDecodeIsKeptOrReplacedNotRefused() {
        assertThat(QueryOnlyRequest.decode("%zz")).isEqualTo("%zz");
        assertThat(QueryOnlyRequest.decode("100%")).isEqualTo("100%");
        assertThat(QueryOnlyRequest.decode("%4")).isEqualTo("%4");
        assertThat(QueryOnlyRequest.decode("%\u0663\u0663")).as("only ASCII hex digits escape").isEqualTo("%\u0663\u0663");
        assertThat(QueryOnlyRequest.decode("%ff%41")).isEqualTo("\ufffdA");
    }
}
