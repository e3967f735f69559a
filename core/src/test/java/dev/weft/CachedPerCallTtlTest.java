package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Weft.cached(key, ttl, ...)} with a TTL computed per call (such as "until the end of the
 * day"): the runtime used to keep one cache object, with its in-flight map and meters, per distinct
 * TTL, forever. One cache per value type now serves every TTL, and each entry still lives as long
 * as its call said.
 */
@WeftRedis
class CachedPerCallTtlTest {

  private static final int CALLS = 100_000;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Weft weft;

  @BeforeEach
  void start(RedisServer server) {
    Metrics.addRegistry(registry);
    weft = Weft.builder().redisUrl(server.url()).build();
  }

  @AfterEach
  void stop() {
    weft.close();
    Metrics.removeRegistry(registry);
  }

  @Test
  void cached_distinctTtlPerCall_keepsOneCacheAndItsMeters() {
    weft.cached("report:today", Duration.ofMinutes(10), String.class, () -> "r");
    int caches = weft.cacheCount();
    int meters = registry.getMeters().size();

    List<String> values = IntStream.range(1, CALLS).parallel()
        .mapToObj(i -> weft.cached(
            "report:today", Duration.ofMinutes(10).plusMillis(i), String.class, () -> "r"))
        .distinct().toList();

    assertThat(values).containsExactly("r");

    assertThat(weft.cacheCount()).as("cache objects after %d distinct TTLs", CALLS)
        .isEqualTo(caches)
        .isEqualTo(1);
    assertThat(registry.getMeters()).as("meters after %d distinct TTLs", CALLS).hasSize(meters);
  }

  @Test
  void cached_sharedCache_storesEachEntryWithItsCallsTtl(RedisServer server) {
    weft.cached("short", Duration.ofSeconds(30), String.class, () -> "s");
    weft.cached("long", Duration.ofHours(2), String.class, () -> "l");

    RedisClient client = RedisClient.create(server.uri());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      assertThat(c.sync().pttl("short")).isBetween(20_000L, 30_000L);
      assertThat(c.sync().pttl("long")).isBetween(Duration.ofMinutes(110).toMillis(),
          Duration.ofHours(2).toMillis());
    } finally {
      client.shutdown();
    }
    assertThat(weft.cacheCount()).isEqualTo(1);
  }
}
