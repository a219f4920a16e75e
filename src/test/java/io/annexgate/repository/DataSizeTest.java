package io.annexgate.repository;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataSizeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            100 megabytes | 100000000
            1GB           | 1000000000
            1 gb          | 1000000000
            512 MiB       | 536870912
            1.5 kB        | 1500
            42            | 42
            0             | 0
            """)
    void readsGitAnnexSizes(String text, long bytes) {
        assertThat(DataSize.parse(text)).hasValue(bytes);
    }

    @ParameterizedTest
    @CsvSource({"lots", "1 parsec", "-1 MB", "''"})
    void rejectsWhatIsNoSize(String text) {
        assertThat(DataSize.parse(text)).isEmpty();
    }
}
