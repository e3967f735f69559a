package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.weft.cache.CacheOptions;
import dev.weft.cache.WeftCache;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cache-aside through {@link Weft#cached}, without weaving, against a real Redis. */
@WeftRedis
class ProgrammaticCacheTest {

  record Price(String sku, long cents) {}

  private Weft weft;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;

  @BeforeEach
  void connect(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
  }

  @AfterEach
  void close() {
    connection.close();
    client.shutdown();
    weft.close();
  }

  @Test
  void cached_loadsOnce_andStoresJsonWithTtl() {
    AtomicInteger loads = new AtomicInteger();
    Price first = weft.cached("price:kb", Duration.ofSeconds(30), Price.class, () -> {
      loads.incrementAndGet();
      return new Price("kb", 8900);
    });
    Price second = weft.cached("price:kb", Duration.ofSeconds(30), Price.class, () -> {
      loads.incrementAndGet();
      return new Price("kb", 1);
    });

    assertThat(second).isEqualTo(first).isEqualTo(new Price("kb", 8900));
    assertThat(loads).hasValue(1);
    assertThat(redis.get("price:kb")).isEqualTo("{\"sku\":\"kb\",\"cents\":8900}");
    assertThat(redis.pttl("price:kb")).isBetween(1L, 30_000L);
  }

  @Test
  void cached_genericType_roundTrips() {
    var type = new TypeReference<Map<String, List<Price>>>() {}.getType();
    Map<String, List<Price>> value = Map.of("eu", List.of(new Price("a", 1), new Price("b", 2)));
    weft.cached("prices:eu", Duration.ofMinutes(1), type, () -> value);

    Map<String, List<Price>> read = weft.cached("prices:eu", Duration.ofMinutes(1), type, () -> Map.of());

    assertThat(read).isEqualTo(value);
    assertThat(read.get("eu").get(0)).isInstanceOf(Price.class);
  }

  /**
   * After SCRIPT FLUSH (as after a restart or failover) each script is sent again once: a miss runs
   * the lease, store and load-lock release scripts, so the first miss after the flush makes three
   * EVALs (after three refused EVALSHAs), the second three EVALSHAs.
   */
  @Test
  void store_afterScriptFlush_fallsBackToEvalOnce() {
    weft.cached("a", Duration.ofMinutes(1), String.class, () -> "1");
    redis.scriptFlush();
    redis.configResetstat();

    weft.cached("b", Duration.ofMinutes(1), String.class, () -> "2");
    weft.cached("c", Duration.ofMinutes(1), String.class, () -> "3");

    assertThat(redis.mget("a", "b", "c"))
        .extracting(kv -> kv.getValue())
        .containsExactly("\"1\"", "\"2\"", "\"3\"");
    String stats = redis.info("commandstats");
    assertThat(stats).contains("cmdstat_eval:calls=3,");
    assertThat(stats).contains("cmdstat_evalsha:calls=6,");
  }

  @Test
  void weftCache_getPutInvalidate_andTagsAndNamespace() {
    WeftCache<Price> prices = weft.cache(Price.class,
        CacheOptions.defaults().ttl("1m").jitter("5s"));
    AtomicInteger loads = new AtomicInteger();

    assertThat(prices.get("price:a", () -> { loads.incrementAndGet(); return new Price("a", 1); }))
        .isEqualTo(new Price("a", 1));
    prices.put("price:a", new Price("a", 2), "sale");
    prices.put("price:b", new Price("b", 3), "sale");
    prices.put("other:c", new Price("c", 4));

    assertThat(prices.get("price:a", () -> new Price("a", -1))).isEqualTo(new Price("a", 2));
    assertThat(loads).hasValue(1);
    assertThat(redis.pttl("price:b")).isBetween(55_000L, 65_000L);

    assertThat(weft.invalidateTag("sale")).isEqualTo(2);
    assertThat(redis.exists("price:a", "price:b")).isZero();

    prices.put("price:d", new Price("d", 5));
    assertThat(weft.invalidateNamespace("price:")).isEqualTo(1);
    assertThat(redis.exists("other:c")).isEqualTo(1);

    prices.invalidate("other:c");
    assertThat(redis.exists("other:c")).isZero();
    assertThat(weft.cache(Price.class,
        CacheOptions.defaults().ttl("1m").jitter("5s"))).isSameAs(prices);
  }

  @Test
  void weftCache_loaderException_reachesCaller_andNothingIsStored() {
    WeftCache<Price> prices = weft.cache(Price.class, CacheOptions.defaults().ttl("1m"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> prices.get("price:x", () -> { throw new java.io.IOException("db down"); }))
        .isInstanceOf(java.io.IOException.class)
        .hasMessage("db down");
    assertThat(redis.exists("price:x", "weft:load:price:x")).isZero();
  }

  @Test
  void entryThatNoLongerReadsAsTheType_isAMiss_andIsOverwritten() {
    redis.set("price:old", "{\"sku\":[1,2,3]}");

    Price price = weft.cached("price:old", Duration.ofMinutes(1), Price.class, () -> new Price("old", 5));

    assertThat(price).isEqualTo(new Price("old", 5));
    assertThat(redis.get("price:old")).isEqualTo("{\"sku\":\"old\",\"cents\":5}");
  }
}
