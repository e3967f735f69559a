package dev.weft.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WeftCache#getIfPresent}, {@link WeftCache#putIfAbsent} and {@link
 * WeftCache#invalidateIfPresent}, and {@link CacheKeys}, against a real Redis.
 */
@WeftRedis
class WeftCacheEntryTest {

  record Price(String sku, long cents) {}

  static final class Stateless {}

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
    redis.flushall();
  }

  @AfterEach
  void close() {
    connection.close();
    client.shutdown();
    weft.close();
  }

  @Test
  void getIfPresent_absentKey_isNull_andLoadsNothing() {
    WeftCache<Price> prices = weft.cache(Price.class, CacheOptions.defaults());

    assertThat(prices.getIfPresent("price:none")).isNull();
    assertThat(redis.exists("price:none")).isZero();
  }

  @Test
  void getIfPresent_cachedNull_isAHitOfNull() {
    WeftCache<Price> prices = weft.cache(Price.class, CacheOptions.defaults());
    prices.get("price:gone", () -> null);

    assertThat(prices.getIfPresent("price:gone")).isEqualTo(new WeftCache.Hit<Price>(null));
  }

  @Test
  void getIfPresent_loadLeaseAtTheKey_isAbsent() {
    WeftCache<Price> prices = weft.cache(Price.class, CacheOptions.defaults());
    redis.set("price:loading", "~" + UUID.randomUUID());

    assertThat(prices.getIfPresent("price:loading")).isNull();
  }

  @Test
  void putIfAbsent_absent_writesWithTtl_present_keepsTheEntry() {
    WeftCache<Price> prices = weft.cache(Price.class, CacheOptions.defaults().ttl("30s"));

    WeftCache.Hit<Price> first = prices.putIfAbsent("price:kb", new Price("kb", 1));
    WeftCache.Hit<Price> second = prices.putIfAbsent("price:kb", new Price("kb", 2));

    assertThat(first).isNull();
    assertThat(second).isEqualTo(new WeftCache.Hit<>(new Price("kb", 1)));
    assertThat(redis.get("price:kb")).isEqualTo("{\"sku\":\"kb\",\"cents\":1}");
    assertThat(redis.pttl("price:kb")).isBetween(1L, 30_000L);
  }

  @Test
  void invalidateIfPresent_saysWhetherThereWasAnEntry() {
    WeftCache<Price> prices = weft.cache(Price.class, CacheOptions.defaults());
    prices.put("price:kb", new Price("kb", 1));

    assertThat(prices.invalidateIfPresent("price:kb")).isTrue();
    assertThat(prices.invalidateIfPresent("price:kb")).isFalse();
  }

  @Test
  void getIfPresent_nearTier_dropsItsCopyWhenAnotherRuntimeWrites(RedisServer server) {
    CacheOptions near = CacheOptions.defaults().near(true);
    WeftCache<Price> here = weft.cache(Price.class, near);
    try (Weft other = Weft.builder().redisUrl(server.url()).build()) {
      WeftCache<Price> there = other.cache(Price.class, near);
      here.put("price:kb", new Price("kb", 1));
      Await.until(
          Duration.ofSeconds(10), () -> "the first value",
          () -> new WeftCache.Hit<>(new Price("kb", 1)).equals(here.getIfPresent("price:kb")));

      there.put("price:kb", new Price("kb", 2));

      Await.until(
          Duration.ofSeconds(10), () -> "the other runtime's value, its copy dropped",
          () -> new WeftCache.Hit<>(new Price("kb", 2)).equals(here.getIfPresent("price:kb")));
    }
  }

  @Test
  void cacheKeys_scalarValueAndTuple_renderApart() {
    assertThat(CacheKeys.text("a:b")).isEqualTo("a%3Ab");
    assertThat(CacheKeys.text(42L)).isEqualTo("42");
    assertThat(CacheKeys.text(new Price("kb", 1))).isEqualTo("[%7B\"cents\"%3A1,\"sku\"%3A\"kb\"%7D]");
    assertThat(CacheKeys.tuple(new Object[] {new Price("kb", 1)}))
        .isEqualTo(CacheKeys.text(new Price("kb", 1)));
    assertThat(CacheKeys.tuple(new Object[] {"a", "b"})).isEqualTo("[\"a\",\"b\"]");
    assertThat(CacheKeys.tuple(new Object[] {"a,b"})).isNotEqualTo(CacheKeys.tuple(new Object[] {"a", "b"}));
    assertThat(CacheKeys.text("[\"a\",\"b\"]")).isNotEqualTo(CacheKeys.tuple(new Object[] {"a", "b"}));
    assertThat(CacheKeys.tuple(new Object[0])).isEqualTo("[]");
  }

  @Test
  void cacheKeys_valueWithoutState_isRefusedNamingItsClass() {
    assertThatThrownBy(() -> CacheKeys.tuple(new Object[] {1, new Stateless()}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Stateless.class.getName())
        .hasMessageContaining("no instance fields");
  }
}
