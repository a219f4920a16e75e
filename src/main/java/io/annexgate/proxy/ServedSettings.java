package io.annexgate.proxy;

import io.annexgate.service.LocalRepositories;
import io.annexgate.service.ServedState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Something read from each served repository's settings (git config, proxy and remote logs),
 * combined over all of them: looked at again at most once a second, and read again for a
 * repository only when its {@link ProxySettingsStamp} changed.
 *
 * @param <T> what one repository's settings say
 * @param <R> what they say together
 */
public final class ServedSettings<T, R> {

    /** Reads one repository's part. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ServedState repository) throws IOException;
    }

    private static final Logger log = LoggerFactory.getLogger(ServedSettings.class);
    private static final long LOOK_AGAIN_NANOS = Duration.ofSeconds(1).toNanos();

    private final LocalRepositories local;
    private final String what;
    private final Reader<T> reader;
    private final T unreadable;
    private final Function<List<T>, R> combine;
    private Map<Path, Read<T>> readByRepository = Map.of();
    private R combined;
    private long lookedAt;

    private record Read<T>(ProxySettingsStamp stamp, T value) { }

    /**
     * @param what names the reading in log lines
     * @param unreadable a repository's part when reading it fails (the failure is logged)
     */
    public ServedSettings(LocalRepositories local, String what, Reader<T> reader, T unreadable,
            Function<List<T>, R> combine) {
        this.local = local;
        this.what = what;
        this.reader = reader;
        this.unreadable = unreadable;
        this.combine = combine;
    }

    /** What the served repositories' settings say now (at most a second ago). */
    public synchronized R current() {
        long now = System.nanoTime();
        if (combined == null || now - lookedAt > LOOK_AGAIN_NANOS) {
            Map<Path, Read<T>> stillServed = new HashMap<>();
            List<T> parts = new ArrayList<>();
            for (ServedState s : local.servedStates()) {
                Path gitDir = s.repository().gitDir();
                ProxySettingsStamp stamp = ProxySettingsStamp.of(s.repository());
                Read<T> entry = readByRepository.get(gitDir);
                if (entry == null || !entry.stamp().equals(stamp)) {
                    try {
                        entry = new Read<>(stamp, reader.read(s));
                    } catch (IOException | RuntimeException e) {
                        log.warn("cannot read the {} of {}: {}", what, gitDir, e.toString());
                        entry = new Read<>(stamp, unreadable);
                    }
                }
                stillServed.put(gitDir, entry);
                parts.add(entry.value());
            }
            readByRepository = stillServed;
            combined = combine.apply(parts);
            lookedAt = now;
        }
        return combined;
    }
}
