package io.annexgate.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code annexgate_disk_free_bytes} and {@code annexgate_disk_total_bytes}: one pair per file
 * system holding served repositories, tagged {@code filesystem} with its mount point and shared by
 * every repository on it, so the series stay as few as the mounts. With {@code perRepository}, one
 * pair per repository instead, tagged {@code filesystem} and {@code repository}. A pair goes when
 * its last repository stops being served.
 */
final class DiskGauges {

    private final MeterRegistry registry;
    private final boolean perRepository;
    /** By device number (one {@code stat}), so finding the file system of 10,000 repositories is cheap. */
    private final Map<Object, Shared> byDevice = new HashMap<>();

    private static final class Shared {
        final List<Meter> meters;
        int users;

        Shared(List<Meter> meters) {
            this.meters = meters;
        }
    }

    DiskGauges(MeterRegistry registry, boolean perRepository) {
        this.registry = registry;
        this.perRepository = perRepository;
    }

    /** Counts {@code directory}'s file system as used by {@code repository}; run the result to stop. */
    synchronized Runnable add(String repository, Path directory) {
        try {
            if (perRepository) {
                FileStore store = Files.getFileStore(directory);
                List<Meter> meters = register(store, Tags.of("filesystem", mountPoint(store), "repository", repository));
                return () -> meters.forEach(registry::remove);
            }
            Object device = device(directory);
            Shared shared = byDevice.get(device);
            if (shared == null) {
                FileStore store = Files.getFileStore(directory);
                shared = new Shared(register(store, Tags.of("filesystem", mountPoint(store))));
                byDevice.put(device, shared);
            }
            shared.users++;
            Shared used = shared;
            return () -> release(device, used);
        } catch (IOException | UnsupportedOperationException e) {
            return () -> { };
        }
    }

    private synchronized void release(Object device, Shared shared) {
        if (--shared.users == 0 && byDevice.remove(device, shared)) {
            shared.meters.forEach(registry::remove);
        }
    }

    private static Object device(Path directory) throws IOException {
        try {
            return Files.getAttribute(directory, "unix:dev");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return Files.getFileStore(directory).name();
        }
    }

    /** {@code FileStore.toString()} is "mount point (device)" on Unix; the mount point alone is the name. */
    static String mountPoint(FileStore store) {
        String s = store.toString();
        int paren = s.lastIndexOf(" (");
        return paren > 0 ? s.substring(0, paren) : s;
    }

    private List<Meter> register(FileStore store, Tags tags) {
        return List.of(
                Gauge.builder("annexgate.disk.free", store, s -> bytes(s, false)).baseUnit("bytes").tags(tags)
                        .description("Usable bytes on a file system holding served repositories").register(registry),
                Gauge.builder("annexgate.disk.total", store, s -> bytes(s, true)).baseUnit("bytes").tags(tags)
                        .description("Size of a file system holding served repositories").register(registry));
    }

    private static double bytes(FileStore store, boolean total) {
        try {
            return total ? store.getTotalSpace() : store.getUsableSpace();
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
