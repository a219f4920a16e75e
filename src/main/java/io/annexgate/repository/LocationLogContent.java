package io.annexgate.repository;

import io.annexgate.protocol.Key;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The content of one key's location log on the git-annex branch: lines of
 * {@code <clock> <status> <uuid>} (Logs/Presence/Pure.hs, Logs/Location.hs).
 *
 * <p>Writing follows git-annex's {@code maybeAddLog}: when the uuid's newest
 * line already has the status nothing is written; otherwise the whole file is
 * rewritten compacted (the newest line per uuid), ordered by uuid bytes, with
 * every clock in canonical form. So for the same input and clock the text is
 * byte-for-byte what git-annex 10.20250416 writes (checked with
 * {@code git annex setpresentkey}).
 */
public record LocationLogContent(List<LogLine> lines) {

    /** Status of a repository that has the content. */
    public static final char PRESENT = '1';
    /** Status of a repository that no longer has the content. */
    public static final char MISSING = '0';
    /** Status of a key marked dead in a repository. */
    public static final char DEAD = 'X';

    /** The empty log (no file on the branch yet). */
    public static final LocationLogContent EMPTY = new LocationLogContent(List.of());

    /** Orders lines like git-annex's {@code Map LogInfo}: by the uuid's bytes, unsigned. */
    private static final Comparator<LogLine> BY_UUID_BYTES = (a, b) -> Arrays.compareUnsigned(
            a.uuid().getBytes(StandardCharsets.UTF_8), b.uuid().getBytes(StandardCharsets.UTF_8));

    public LocationLogContent {
        lines = List.copyOf(lines);
    }

    /**
     * One line. The timestamp is kept exactly as written (e.g. {@code 1795615338s},
     * {@code 1795615338.123s}, or an old {@code 1795615338} without 's').
     */
    public record LogLine(String timestamp, char status, String uuid) {

        public LogLine {
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(uuid, "uuid");
            if (VectorClock.parse(timestamp).isEmpty()) {
                throw new IllegalArgumentException("not a vector clock: " + timestamp);
            }
            if (!isStatus(status)) {
                throw new IllegalArgumentException("not a log status: " + status);
            }
            checkUuid(uuid, true);
        }

        /** A line with a canonically written clock. */
        public LogLine(VectorClock clock, char status, String uuid) {
            this(clock.format(), status, uuid);
        }

        /** The timestamp as a clock. */
        public VectorClock clock() {
            return VectorClock.parse(timestamp).orElseThrow();
        }

        /** This line with its clock written as git-annex writes it. */
        public LogLine canonical() {
            String canonical = clock().format();
            return canonical.equals(timestamp) ? this : new LogLine(canonical, status, uuid);
        }

        /** {@code "<timestamp> <status> <uuid>\n"}. */
        public String render() {
            return timestamp + ' ' + status + ' ' + uuid + '\n';
        }

        /** Parses one line (without its end of line); empty when git-annex would skip it. */
        static Optional<LogLine> parse(String line) {
            int firstSpace = line.indexOf(' ');
            if (firstSpace < 0 || line.length() < firstSpace + 3 || line.charAt(firstSpace + 2) != ' ') {
                return Optional.empty();
            }
            String timestamp = line.substring(0, firstSpace);
            char status = line.charAt(firstSpace + 1);
            if (!isStatus(status) || VectorClock.parse(timestamp).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new LogLine(timestamp, status, line.substring(firstSpace + 3)));
        }
    }

    /**
     * Parses a log file. Any run of CR and LF ends a line; lines git-annex
     * cannot parse are skipped; order is kept.
     */
    public static LocationLogContent parse(String text) {
        List<LogLine> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = start;
            while (end < text.length() && !isEndOfLine(text.charAt(end))) {
                end++;
            }
            LogLine.parse(text.substring(start, end)).ifPresent(lines::add);
            while (end < text.length() && isEndOfLine(text.charAt(end))) {
                end++;
            }
            start = end;
        }
        return new LocationLogContent(lines);
    }

    /** The file text: every line rendered and newline-terminated, in order. */
    public String render() {
        StringBuilder out = new StringBuilder(lines.size() * 64);
        for (LogLine line : lines) {
            out.append(line.render());
        }
        return out.toString();
    }

    /**
     * The line that decides the uuid's status: the one with the highest clock,
     * the earliest in the file among equal clocks (git-annex {@code compactLog}).
     */
    public Optional<LogLine> newest(String uuid) {
        LogLine best = null;
        for (LogLine line : lines) {
            if (line.uuid().equals(uuid) && (best == null || line.clock().compareTo(best.clock()) > 0)) {
                best = line;
            }
        }
        return Optional.ofNullable(best);
    }

    /** True when the uuid's newest line says present. */
    public boolean isPresent(String uuid) {
        return newest(uuid).map(line -> line.status() == PRESENT).orElse(false);
    }

    /** The uuids whose newest line says present, in file order of those lines. */
    public List<String> presentUuids() {
        return compactedInFileOrder().stream().filter(line -> line.status() == PRESENT).map(LogLine::uuid).toList();
    }

    /** The newest line per uuid, ordered and written as git-annex writes a compacted log. */
    public LocationLogContent compacted() {
        List<LogLine> result = new ArrayList<>();
        for (LogLine line : compactedInFileOrder()) {
            result.add(line.canonical());
        }
        result.sort(BY_UUID_BYTES);
        return new LocationLogContent(result);
    }

    /**
     * The log after recording that the uuid now has this status, or empty when
     * its newest line already has it (git-annex writes nothing then).
     *
     * <p>The new line's clock is {@code now} truncated to whole seconds, unless
     * a line of the same uuid has a clock at or after that; then it is that
     * line's clock plus one second (git-annex {@code advanceVectorClock}, which
     * only looks at the same uuid's lines and keeps any fraction).
     */
    public Optional<LocationLogContent> withStatus(String uuid, char status, Instant now) {
        checkUuid(uuid, false);
        if (!isStatus(status)) {
            throw new IllegalArgumentException("not a log status: " + status);
        }
        Optional<LogLine> current = newest(uuid);
        if (current.isPresent() && current.get().status() == status) {
            return Optional.empty();
        }
        VectorClock clock = VectorClock.wholeSecondsOf(now);
        if (current.isPresent() && current.get().clock().compareTo(clock) >= 0) {
            clock = current.get().clock().plusOneSecond();
        }
        List<LogLine> result = new ArrayList<>();
        for (LogLine line : compactedInFileOrder()) {
            if (!line.uuid().equals(uuid)) {
                result.add(line.canonical());
            }
        }
        result.add(new LogLine(clock, status, uuid));
        result.sort(BY_UUID_BYTES);
        return Optional.of(new LocationLogContent(result));
    }

    /**
     * The key's location log path on the git-annex branch:
     * {@code <hashdirlower>/<keyfile>.log}, e.g. {@code d91/b11/SHA256E-s6--…txt.log}.
     * levels is 2, or 1 with {@code annex.tune.branchhash1}.
     */
    public static String branchPath(Key key, int levels) {
        return HashDirectories.lower(key, levels) + "/" + key.fileName() + ".log";
    }

    /**
     * The name of a branch file's journal file (Annex/Journal.hs {@code journalFile}):
     * each '_' doubled and each '/' made '_', in one pass, e.g.
     * {@code 685/f27/SHA3_256E-…} → {@code 685_f27_SHA3__256E-…}.
     */
    public static String journalFileName(String branchPath) {
        StringBuilder out = new StringBuilder(branchPath.length() + 8);
        for (int i = 0; i < branchPath.length(); i++) {
            char c = branchPath.charAt(i);
            switch (c) {
                case '/' -> out.append('_');
                case '_' -> out.append("__");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The branch path a journal file stands for, the inverse of {@link #journalFileName}: "__" is
     * '_' and a lone '_' is '/', read left to right (a trailing lone '_' is dropped, as git-annex does).
     */
    public static String branchPathOfJournalFile(String journalFileName) {
        StringBuilder out = new StringBuilder(journalFileName.length());
        for (int i = 0; i < journalFileName.length(); i++) {
            char c = journalFileName.charAt(i);
            if (c != '_') {
                out.append(c);
            } else if (i + 1 < journalFileName.length() && journalFileName.charAt(i + 1) == '_') {
                out.append('_');
                i++;
            } else if (i + 1 < journalFileName.length()) {
                out.append('/');
            }
        }
        return out.toString();
    }

    /** The newest line of each uuid, keeping the order in which uuids first appear. */
    private List<LogLine> compactedInFileOrder() {
        Map<String, LogLine> newest = new LinkedHashMap<>();
        for (LogLine line : lines) {
            newest.merge(line.uuid(), line, (old, next) -> next.clock().compareTo(old.clock()) > 0 ? next : old);
        }
        return List.copyOf(newest.values());
    }

    private static boolean isStatus(char c) {
        return c == PRESENT || c == MISSING || c == DEAD;
    }

    private static boolean isEndOfLine(char c) {
        return c == '\n' || c == '\r';
    }

    private static void checkUuid(String uuid, boolean mayBeEmpty) {
        if (!mayBeEmpty && uuid.isEmpty()) {
            throw new IllegalArgumentException("empty uuid");
        }
        if (uuid.indexOf('\n') >= 0 || uuid.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("uuid contains an end of line");
        }
    }
}
