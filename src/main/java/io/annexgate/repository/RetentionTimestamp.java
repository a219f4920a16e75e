package io.annexgate.repository;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Optional;

/**
 * The content of a {@code .rtm} file: a POSIX time before which the content must not be removed,
 * written the way git-annex shows a POSIX time ({@code 1795615949.225031824s}).
 */
public record RetentionTimestamp(Instant until) {

    public static Optional<RetentionTimestamp> parse(String text) {
        String t = text.strip();
        if (t.endsWith("s")) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            BigDecimal seconds = new BigDecimal(t);
            long whole = seconds.setScale(0, RoundingMode.FLOOR).longValueExact();
            long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9)
                    .setScale(0, RoundingMode.FLOOR).longValueExact();
            return Optional.of(new RetentionTimestamp(Instant.ofEpochSecond(whole, nanos)));
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    public String render() {
        if (until.getNano() == 0) {
            return until.getEpochSecond() + "s";
        }
        return String.format("%d.%09ds", until.getEpochSecond(), until.getNano());
    }

    public boolean isAfter(Instant now) {
        return until.isAfter(now);
    }
}
