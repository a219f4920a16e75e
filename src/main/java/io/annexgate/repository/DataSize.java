package io.annexgate.repository;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size as git-annex settings write it ({@code 100 megabytes}, {@code 1GB}, {@code 512 MiB}):
 * SI units are powers of 1000, the "-bi-" units powers of 1024, case does not matter.
 */
public final class DataSize {

    private static final Pattern SIZE = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([a-z]*)\\s*");
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L), Map.entry("byte", 1L), Map.entry("bytes", 1L),
            Map.entry("kb", 1_000L), Map.entry("kilobyte", 1_000L), Map.entry("kilobytes", 1_000L),
            Map.entry("mb", 1_000_000L), Map.entry("megabyte", 1_000_000L), Map.entry("megabytes", 1_000_000L),
            Map.entry("gb", 1_000_000_000L), Map.entry("gigabyte", 1_000_000_000L), Map.entry("gigabytes", 1_000_000_000L),
            Map.entry("tb", 1_000_000_000_000L), Map.entry("terabyte", 1_000_000_000_000L),
            Map.entry("terabytes", 1_000_000_000_000L),
            Map.entry("kib", 1L << 10), Map.entry("kibibyte", 1L << 10), Map.entry("kibibytes", 1L << 10),
            Map.entry("mib", 1L << 20), Map.entry("mebibyte", 1L << 20), Map.entry("mebibytes", 1L << 20),
            Map.entry("gib", 1L << 30), Map.entry("gibibyte", 1L << 30), Map.entry("gibibytes", 1L << 30),
            Map.entry("tib", 1L << 40), Map.entry("tebibyte", 1L << 40), Map.entry("tebibytes", 1L << 40));

    private DataSize() {
    }

    /** Bytes, or empty when the text is not a size. */
    public static OptionalLong parse(String text) {
        Matcher m = SIZE.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches() || !UNITS.containsKey(m.group(2))) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(UNITS.get(m.group(2)))).longValue());
    }
}
