package io.annexgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.protocol.AnnexUuid;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClusterUuidsTest {

    @Test
    void clusterUuidsStartWithAcAndHave8AsTheirVersion() {
        assertThat(ClusterUuids.isCluster(new AnnexUuid("ac5608be-71fd-8cb8-ad8c-302a6d6786de"))).isTrue();
        assertThat(ClusterUuids.isCluster(new AnnexUuid("ac5608be-71fd-4cb8-ad8c-302a6d6786de"))).isFalse();
        assertThat(ClusterUuids.isCluster(new AnnexUuid("bc5608be-71fd-8cb8-ad8c-302a6d6786de"))).isFalse();
    }

    @Test
    void fanOutRunsAtMostJobsAtOnceAndReportsEachNodesFailure() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch twoStarted = new CountDownLatch(2);
        List<FanOut.Result<Integer, Integer>> results = new FanOut(2).run(List.of(1, 2, 3, 4), n -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            twoStarted.countDown();
            twoStarted.await(10, TimeUnit.SECONDS);
            running.decrementAndGet();
            if (n == 3) {
                throw new IllegalStateException("node 3 is down");
            }
            return n * 10;
        });
        assertThat(most.get()).isEqualTo(2);
        assertThat(results).extracting(FanOut.Result::node).containsExactly(1, 2, 3, 4);
        assertThat(results).filteredOn(FanOut.Result::ok).extracting(FanOut.Result::value).containsExactly(10, 20, 40);
        assertThat(results.get(2).failure()).hasMessage("node 3 is down");
    }
}
