package io.annexgate.process;

/**
 * What a child wrote to one of its streams, as far as it was kept: {@code text} is the first or the
 * last bytes of {@code totalBytes}, and {@code truncated} says that some were left out.
 */
public record CapturedOutput(String text, long totalBytes, boolean truncated) {

    public static final CapturedOutput EMPTY = new CapturedOutput("", 0, false);

    /** For messages: the text, stripped, saying when it was cut. */
    public String describe() {
        String kept = text.strip();
        return truncated ? "[truncated, " + totalBytes + " bytes in all] " + kept : kept;
    }
}
