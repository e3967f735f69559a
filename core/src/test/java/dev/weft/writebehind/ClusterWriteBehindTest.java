package dev.weft.writebehind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.cache.CacheOptions;
import dev.weft.cache.WeftCache;
import dev.weft.test.Await;
import dev.weft.test.RedisCluster;
import dev.weft.test.WeftRedisCluster;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Write-behind on the 3-master cluster: the entry and the stream are written by one script, so
 * the entry's key must carry the write-behind's hash tag; keys that do are written, read and
 * persisted, keys that do not are refused before anything is sent. Write-behinds of different
 * names spread over the nodes.
 */
@WeftRedisCluster
class ClusterWriteBehindTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  record Order(String id, long n) {}

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
  void keysWithTheHashTag_writtenReadAndPersisted_onEveryNode() {
    Map<String, Long> persisted = new ConcurrentHashMap<>();
    Set<Integer> nodes = new HashSet<>();
    WeftCache<Order> cache = weft.cache(Order.class, CacheOptions.defaults().ttl("1h"));
    int names = 6;
    WriteBehind<?>[] started = new WriteBehind<?>[names];
    try {
      for (int s = 0; s < names; s++) {
        String name = "orders-" + s;
        nodes.add(SlotHash.getSlot(name) * 3 / SlotHash.SLOT_COUNT);
        WriteBehind<Order> wb = weft.writeBehind(name, Order.class,
            (k, v) -> persisted.put(k, v.n()), WriteBehindOptions.defaults().ttl("1h"));
        started[s] = wb;
        for (int i = 0; i < 10; i++) {
          String key = "order:{" + name + "}:" + i;
          wb.write(key, new Order(Integer.toString(i), 1));
          wb.write(key, new Order(Integer.toString(i), 2));
          assertThat(cache.get(key, () -> null)).isEqualTo(new Order(Integer.toString(i), 2));
        }
      }
      assertThat(nodes).as("the write-behinds' slots span several nodes").hasSizeGreaterThan(1);
      Await.until(WAIT, () -> "every key's latest value persisted, got " + persisted.size(),
          () -> persisted.size() == names * 10
              && persisted.values().stream().allMatch(n -> n == 2));
    } finally {
      for (WriteBehind<?> wb : started) {
        if (wb != null) {
          wb.close();
        }
      }
    }
  }

  @Test
  void keyInAnotherSlot_refusedWithTheFix() {
    try (WriteBehind<Order> wb = weft.writeBehind("orders", Order.class, (k, v) -> {},
        WriteBehindOptions.defaults().ttl("1h").consumers(0))) {
      assertThatThrownBy(() -> wb.write("order:42", new Order("42", 1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("give the key the hash tag {orders}");
      wb.write("order:{orders}:42", new Order("42", 1));
      assertThat(wb.backlog()).isEqualTo(1);
    }
  }
}
