package dev.weft.counter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.test.RedisCluster;
import dev.weft.test.WeftRedisCluster;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Counters on the 3-master cluster: every bucket of one key shares the key's hash tag, so the
 * increment script and the multi-key reads (MGET, PFCOUNT) run on the node that holds the series.
 */
@WeftRedisCluster
class ClusterCounterTest {

  private Weft weft;

  @BeforeEach
  void start(RedisCluster cluster) {
    weft = Weft.builder().redisUrl(cluster.url()).build();
  }

  @AfterEach
  void stop() {
    weft.close();
  }

  @Test
  void seriesOnEveryNode_incrementReadAndCountUniques() {
    Counter counter = weft.counter("hits",
        CounterOptions.defaults().granularity(Granularity.MINUTE));
    UniqueCounter uniques =
        weft.uniqueCounter("users", CounterOptions.defaults().granularity(Granularity.MINUTE));
    Set<Integer> nodes = new HashSet<>();
    Instant from = Granularity.MINUTE.bucketStart(Instant.now()).minus(Duration.ofHours(1));
    Instant to = from.plus(Duration.ofHours(2));
    for (int k = 0; k < 12; k++) {
      String key = "key-" + k;
      nodes.add(SlotHash.getSlot("weft:ctr:hits:{" + key + "}:m:0") * 3 / SlotHash.SLOT_COUNT);
      counter.increment(key, k + 1);
      counter.increment(key);
      uniques.add(key, "a", "b", "a");

      assertThat(counter.series(key, from, to)).as("key %d", k).hasSize(120);
      assertThat(counter.total(key, from, to)).as("key %d", k).isEqualTo(k + 2);
      assertThat(uniques.count(key, from, to)).as("key %d", k).isEqualTo(2);
    }
    assertThat(nodes).as("the series' slots cover all three masters").hasSize(3);
  }

  @Test
  void eventIds_liveInTheSeriesSlot_onEveryNode() {
    Counter counter = weft.counter("evented",
        CounterOptions.defaults().granularity(Granularity.DAY));
    for (int k = 0; k < 12; k++) {
      counter.increment("k" + k, 1, "e-1");
      counter.increment("k" + k, 1, "e-1");
      assertThat(counter.increment("k" + k, 1, "e-2").count()).as("series k%d", k).isEqualTo(2);
    }
  }
}
