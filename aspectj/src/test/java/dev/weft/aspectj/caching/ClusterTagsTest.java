package dev.weft.aspectj.caching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.test.RedisCluster;
import dev.weft.test.WeftRedisCluster;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tags, write-through and invalidation on the 3-master cluster: entries and tag indexes live in
 * different slots, so nothing may be a multi-key script (CROSSSLOT).
 */
@WeftRedisCluster
class ClusterTagsTest {

  private static Weft weft;
  private static Weft previous;
  private static RedisClusterClient client;
  private static StatefulRedisClusterConnection<String, String> connection;
  private static RedisAdvancedClusterCommands<String, String> redis;

  @BeforeAll
  static void start(RedisCluster cluster) {
    weft = Weft.builder().redisUrl(cluster.url()).build();
    previous = Weft.install(weft);
    client = cluster.newClient();
    connection = client.connect();
    redis = connection.sync();
  }

  @AfterAll
  static void stop() {
    connection.close();
    client.shutdown();
    if (previous != null) {
      Weft.install(previous);
    }
    weft.close();
  }

  @Test
  void invalidateTag_acrossSlots_removesExactlyItsEntries() {
    Shop shop = Shop.create();
    Set<Integer> slots = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      String sku = "p" + i;
      String category = i % 2 == 0 ? "even" : "odd";
      shop.table.put(sku, new Shop.Product(sku, "P" + i, category, i));
      shop.product(sku, category);
      slots.add(SlotHash.getSlot("product:" + sku));
    }
    assertThat(slots).hasSizeGreaterThan(30);
    assertThat(redis.zcard("weft:tag:category:even")).isEqualTo(20);

    shop.repriceCategory("even");

    for (int i = 0; i < 40; i++) {
      assertThat(redis.exists("product:p" + i)).as("product:p%d", i).isEqualTo(i % 2 == 0 ? 0L : 1L);
    }
    assertThat(redis.exists("weft:tag:category:even")).isZero();
  }

  @Test
  void writeThroughAndNamespace_onCluster() {
    Shop shop = Shop.create();
    shop.save(new Shop.Product("zz", "Z", "misc", 1));
    shop.product("kb", "peripherals");
    assertThat(shop.product("zz", "misc").name()).isEqualTo("Z");
    assertThat(shop.loads).hasValue(1);

    shop.wipe();

    assertThat(redis.exists("product:zz", "product:kb")).isZero();
  }
}
