package io.annexgate.process;

/**
 * How much of a child's output a run keeps: the first {@code stdoutBytes} of stdout (what it
 * answered) and the last {@code stderrBytes} of stderr (where the reason for a failure is).
 */
public record OutputLimits(int stdoutBytes, int stderrBytes) {

    /** A megabyte of answer, a few lines of complaint. */
    public static final OutputLimits DEFAULT = new OutputLimits(1 << 20, 8 << 10);

    public OutputLimits {
        if (stdoutBytes < 0 || stderrBytes < 0) {
            throw new IllegalArgumentException("negative limit: " + stdoutBytes + ", " + stderrBytes);
        }
    }
}
