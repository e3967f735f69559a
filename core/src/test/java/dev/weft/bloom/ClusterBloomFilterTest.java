package dev.weft.bloom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.test.RedisCluster;
import dev.weft.test.WeftRedisCluster;
import io.lettuce.core.cluster.SlotHash;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bloom filters on the 3-master cluster: one key per filter, so every script runs on its node. */
@WeftRedisCluster
class ClusterBloomFilterTest {

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
  void filtersOnEveryNode_addAndCheck_noFalseNegatives() {
    Set<Integer> nodes = new HashSet<>();
    for (int i = 0; i < 12; i++) {
      int f = i;
      BloomFilter filter = weft.bloomFilter("filter-" + f,
          BloomOptions.defaults().expectedItems(2_000).falsePositiveRate(0.01));
      nodes.add(SlotHash.getSlot("weft:bloom:{filter-" + f + "}") * 3 / SlotHash.SLOT_COUNT);
      List<String> items = IntStream.range(0, 1_500).mapToObj(n -> f + ":" + n).toList();

      filter.addAll(items);

      assertThat(filter.mightContainAll(items)).as("filter %d", f).doesNotContain(false);
      assertThat(filter.mightContain("absent-" + f + "-never-added")).isFalse();
    }
    assertThat(nodes).as("the filters' slots cover all three masters").hasSize(3);
  }
}
