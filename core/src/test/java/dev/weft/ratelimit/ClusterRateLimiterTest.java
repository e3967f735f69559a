package dev.weft.ratelimit;

import dev.weft.annotation.RateLimitAlgorithm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.test.RedisCluster;
import dev.weft.test.WeftRedisCluster;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every algorithm, several limits per decision, on the 3-master cluster: all keys of a decision
 * share the user key's hash slot, so the one script never meets CROSSSLOT.
 */
@WeftRedisCluster
class ClusterRateLimiterTest {

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
  void multiLimitDecisions_onManySlots_allowExactlyTheTightestLimit() {
    RateLimiter limiter =
        weft.rateLimiter(Limit.of(RateLimitAlgorithm.TOKEN_BUCKET, 3, Duration.ofMinutes(1)),
            Limit.of(RateLimitAlgorithm.SLIDING_WINDOW_LOG, 4, Duration.ofMinutes(1)),
            Limit.of(RateLimitAlgorithm.SLIDING_WINDOW_COUNTER, 5, Duration.ofMinutes(1)),
            Limit.of(RateLimitAlgorithm.FIXED_WINDOW, 6, Duration.ofMinutes(1)),
            Limit.of(RateLimitAlgorithm.GCRA, 7, Duration.ofMinutes(1)));
    for (int user = 0; user < 30; user++) {
      int allowed = 0;
      for (int i = 0; i < 10; i++) {
        if (limiter.tryAcquire("user:" + user).allowed()) {
          allowed++;
        }
      }
      assertThat(allowed).as("user %d", user).isEqualTo(3);
    }
  }
}
