package io.annexgate.repository;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A git-annex vector clock: POSIX seconds with up to 12 decimal places, written
 * like Haskell shows a POSIXTime, e.g. {@code 1795615338s} or
 * {@code 1795615949.225031824s} (Annex/VectorClock.hs, Utility/TimeStamp.hs).
 * Digits beyond the twelfth decimal place are dropped, as git-annex does.
 */
public record VectorClock(BigDecimal seconds) implements Comparable<VectorClock> {

    /** git-annex keeps picoseconds (Haskell's Pico); more digits are cut off. */
    private static final int MAX_SCALE = 12;

    /** Optional sign, digits, optional fraction, optional 's' (parserPOSIXTime). */
    private static final Pattern TEXT = Pattern.compile("([+-]?)(\\d+)(?:\\.(\\d+))?s?");

    public VectorClock {
        Objects.requireNonNull(seconds, "seconds");
        seconds = normalise(seconds.scale() > MAX_SCALE ? seconds.setScale(MAX_SCALE, RoundingMode.DOWN) : seconds);
    }

    /**
     * Parses a clock as git-annex does: {@code 123}, {@code 123s}, {@code +123.5s},
     * {@code -4.25s}. Like git-annex, the fraction is added to the integer part
     * unless that part is negative, so {@code -0.5s} reads as 0.5 seconds.
     */
    public static Optional<VectorClock> parse(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal whole = new BigDecimal(m.group(2));
        if (m.group(1).equals("-")) {
            whole = whole.negate();
        }
        BigDecimal fraction = m.group(3) == null ? BigDecimal.ZERO
                : new BigDecimal("0." + m.group(3)).setScale(
                        Math.min(m.group(3).length(), MAX_SCALE), RoundingMode.FLOOR);
        return Optional.of(new VectorClock(whole.signum() < 0 ? whole.subtract(fraction) : whole.add(fraction)));
    }

    /** The candidate clock git-annex takes from the wall clock: whole seconds, truncated. */
    public static VectorClock wholeSecondsOf(Instant instant) {
        BigDecimal exact = BigDecimal.valueOf(instant.getEpochSecond())
                .add(BigDecimal.valueOf(instant.getNano(), 9));
        return new VectorClock(exact.setScale(0, RoundingMode.DOWN));
    }

    /** This clock plus one second (how git-annex gets ahead of an earlier line). */
    public VectorClock plusOneSecond() {
        return new VectorClock(seconds.add(BigDecimal.ONE));
    }

    /** How git-annex writes this clock: no trailing zeros, trailing 's'. */
    public String format() {
        return seconds.toPlainString() + "s";
    }

    @Override
    public int compareTo(VectorClock other) {
        return seconds.compareTo(other.seconds);
    }

    /** Same as {@link #format()}. */
    @Override
    public String toString() {
        return format();
    }

    private static BigDecimal normalise(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
