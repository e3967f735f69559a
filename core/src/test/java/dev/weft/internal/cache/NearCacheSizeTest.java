package dev.weft.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.plan.KeyTemplate;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A near tier is bounded by the near cache size of the runtime whose calls it serves. */
@WeftRedis
class NearCacheSizeTest {

  @Test
  void nearTier_takesTheSizeOfTheRuntimeItServes(RedisServer server) {
    try (Weft small = Weft.builder().redisUrl(server.url()).nearCacheSize(3).build();
        Weft plain = Weft.builder().redisUrl(server.url()).build()) {
      NearTier tier = new NearTier(KeyTemplate.argument(), Duration.ofMinutes(1));

      tier.trusted(WeftAccess.cache(small));
      assertThat(tier.maximumSize()).isEqualTo(3);

      tier.trusted(WeftAccess.cache(plain));
      assertThat(tier.maximumSize()).isEqualTo(Weft.DEFAULT_NEAR_CACHE_SIZE);
    }
  }
}
