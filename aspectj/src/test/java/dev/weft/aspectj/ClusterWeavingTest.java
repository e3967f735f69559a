package dev.weft.aspectj;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.aspectj.CatalogService.Product;
import dev.weft.test.RedisCluster;
import dev.weft.test.WeftRedisCluster;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code @Cached} against the local 3-master Redis Cluster, keys spread over many slots. */
@WeftRedisCluster
class ClusterWeavingTest {

  private static Weft weft;
  private static Weft previous;

  @BeforeAll
  static void start(RedisCluster cluster) {
    weft = Weft.builder().redisUrl(cluster.url()).build();
    previous = Weft.install(weft);
  }

  @AfterAll
  static void stop() {
    if (previous != null) {
      Weft.install(previous);
    }
    weft.close();
  }

  @Test
  void cachedEntries_inManySlots_areReadBackWithoutRunningTheBody(RedisCluster cluster) {
    CatalogService service = new CatalogService();
    Set<Integer> slots = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      service.product("sku-" + i);
      slots.add(SlotHash.getSlot("product:sku-" + i));
    }
    for (int i = 0; i < 50; i++) {
      assertThat(service.product("sku-" + i)).isEqualTo(new Product("sku-" + i, "Product sku-" + i, 1999));
    }

    assertThat(service.calls).hasValue(50);
    assertThat(slots).hasSizeGreaterThan(40);
    try (RedisClusterClient client = cluster.newClient();
        StatefulRedisClusterConnection<String, String> c = client.connect()) {
      for (int i = 0; i < 50; i++) {
        assertThat(c.sync().pttl("product:sku-" + i)).isBetween(1L, 600_000L);
      }
    }
  }
}
