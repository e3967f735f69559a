package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With Micrometer on the class path, caches publish hits, misses and loads per cache. */
@WeftRedis
class CacheMetricsTest {

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
  void hitsMissesAndLoads_areCountedPerCache() {
    for (int i = 0; i < 3; i++) {
      weft.cached("metrics:a", Duration.ofMinutes(1), Integer.class, () -> 1);
    }
    weft.cached("metrics:b", Duration.ofMinutes(1), Integer.class, () -> 2);

    String cache = "Weft.cached(java.lang.Integer)";
    assertThat(registry.get("weft.cache.gets").tags("cache", cache, "result", "hit").counter().count())
        .isEqualTo(2.0);
    assertThat(registry.get("weft.cache.gets").tags("cache", cache, "result", "miss").counter().count())
        .isEqualTo(2.0);
    assertThat(registry.get("weft.cache.loads").tags("cache", cache, "outcome", "success").timer().count())
        .isEqualTo(2L);
  }
}
