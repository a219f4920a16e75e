package io.annexgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Served-repository meters: a current count, disk gauges per file system, gone with the last repository. */
class RepositoryMetersTest {

    @TempDir
    Path tmp;

    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double served() {
        return registry.get("annexgate.repositories.served").gauge().value();
    }

    private int diskGauges() {
        return registry.find("annexgate.disk.free").gauges().size() + registry.find("annexgate.disk.total").gauges().size();
    }

    @Test
    void repositoriesOnOneFileSystemShareOnePairOfDiskGaugesRemovedWithTheLastOfThem() throws Exception {
        AnnexgateMetrics metrics = new AnnexgateMetrics(registry);
        AnnexgateMetrics.Registration a = metrics.repositoryServed("a", Files.createDirectory(tmp.resolve("a")), 100);
        AnnexgateMetrics.Registration b = metrics.repositoryServed("b", Files.createDirectory(tmp.resolve("b")), 100);

        assertThat(served()).isEqualTo(2);
        assertThat(diskGauges()).isEqualTo(2);
        Gauge free = registry.get("annexgate.disk.free").gauge();
        assertThat(free.getId().getTag("filesystem")).isNotBlank();
        assertThat(free.getId().getTag("repository")).isNull();
        assertThat(free.value()).isPositive();
        assertThat(registry.get("annexgate.lockedfiles.limit").gauge().value()).isEqualTo(200);

        a.close();
        a.close();
        assertThat(served()).isEqualTo(1);
        assertThat(diskGauges()).isEqualTo(2);

        b.close();
        assertThat(served()).isZero();
        assertThat(diskGauges()).isZero();
        assertThat(registry.get("annexgate.lockedfiles.limit").gauge().value()).isZero();
    }

    @Test
    void aRepositoryServedAgainIsCountedOnce() throws Exception {
        AnnexgateMetrics metrics = new AnnexgateMetrics(registry);
        Path dir = Files.createDirectory(tmp.resolve("moved"));
        metrics.repositoryServed("u", dir, 100).close();
        metrics.repositoryServed("u", dir, 100);

        assertThat(served()).isEqualTo(1);
        assertThat(diskGauges()).isEqualTo(2);
    }

    @Test
    void perRepositoryTagsOnlyWhenAskedFor() throws Exception {
        AnnexgateMetrics metrics = new AnnexgateMetrics(registry, true);
        AnnexgateMetrics.Registration a = metrics.repositoryServed("a", Files.createDirectory(tmp.resolve("a")), 100);
        metrics.repositoryServed("b", Files.createDirectory(tmp.resolve("b")), 100);

        assertThat(registry.find("annexgate.disk.free").gauges()).extracting(g -> g.getId().getTag("repository"))
                .containsExactlyInAnyOrder("a", "b");
        a.close();
        assertThat(registry.find("annexgate.disk.free").gauges()).extracting(g -> g.getId().getTag("repository"))
                .containsExactly("b");
    }

    @Test
    void locksHeldAreSummedUntilUnregistered() {
        AnnexgateMetrics metrics = new AnnexgateMetrics(registry);
        AnnexgateMetrics.Registration three = metrics.locksHeld(() -> 3);
        metrics.locksHeld(() -> 3);

        assertThat(registry.get("annexgate.locks.held").gauge().value()).isEqualTo(6);
        three.close();
        assertThat(registry.get("annexgate.locks.held").gauge().value()).isEqualTo(3);
    }

    @Test
    void theFullestRepositorysRatioIsExportedNotTheSumsRatio() {
        AnnexgateMetrics metrics = new AnnexgateMetrics(registry);
        AnnexgateMetrics.Registration full = metrics.locksHeld(() -> 95, () -> 100);
        for (int i = 0; i < 1999; i++) {
            metrics.locksHeld(() -> 0, () -> 100);
        }

        assertThat(registry.get("annexgate.locks.held.max.ratio").gauge().value()).isEqualTo(0.95);
        assertThat(registry.get("annexgate.locks.held.max.ratio").gauge().getId().getTags()).isEmpty();
        full.close();
        assertThat(registry.get("annexgate.locks.held.max.ratio").gauge().value()).isZero();
        assertThat(registry.get("annexgate.locks.held").gauge().value()).isZero();
    }
}
