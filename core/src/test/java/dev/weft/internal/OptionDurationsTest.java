package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.cache.CacheOptions;
import dev.weft.lock.LockOptions;
import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.bloom.BloomOptions;
import dev.weft.counter.CounterOptions;
import dev.weft.counter.Granularity;
import dev.weft.leaderboard.LeaderboardOptions;
import dev.weft.queue.QueueOptions;
import dev.weft.ratelimit.Limit;
import dev.weft.session.SessionOptions;
import dev.weft.stream.ConsumerOptions;
import dev.weft.writebehind.WriteBehindOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every options type takes its durations as {@link Duration} and as the annotations' text. */
class OptionDurationsTest {

  @Test
  void everyDurationOption_acceptsTextAndDuration_alike() {
    assertThat(CacheOptions.defaults().ttl("10m").jitter("30s").staleWhileRevalidate("1m")
            .loadTimeout("5s"))
        .isEqualTo(CacheOptions.defaults().ttl(Duration.ofMinutes(10))
            .jitter(Duration.ofSeconds(30)).staleWhileRevalidate(Duration.ofMinutes(1))
            .loadTimeout(Duration.ofSeconds(5)));
    assertThat(LockOptions.defaults().lease("2m").holdAtLeast("1m").maxHold("PT10M"))
        .isEqualTo(LockOptions.defaults().lease(Duration.ofMinutes(2))
            .holdAtLeast(Duration.ofMinutes(1)).maxHold(Duration.ofMinutes(10)));
    assertThat(Limit.of(RateLimitAlgorithm.GCRA, 10, "1s"))
        .isEqualTo(Limit.of(RateLimitAlgorithm.GCRA, 10, Duration.ofSeconds(1)));
    assertThat(CounterOptions.defaults().retention("30d").retention())
        .isEqualTo(Duration.ofDays(30));
    assertThat(LeaderboardOptions.defaults().expireAfter("8d").expireAfter())
        .isEqualTo(Duration.ofDays(8));
    assertThat(SessionOptions.defaults().idleTimeout("15m").maxLifetime("12h"))
        .isEqualTo(SessionOptions.defaults().idleTimeout(Duration.ofMinutes(15))
            .maxLifetime(Duration.ofHours(12)));
    assertThat(QueueOptions.defaults().visibilityTimeout("5m").visibilityTimeout())
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(ConsumerOptions.defaults().minIdle("2m").minIdle()).isEqualTo(Duration.ofMinutes(2));
    assertThat(BloomOptions.defaults().expireAfter("1d").lifetime()).isEqualTo(Duration.ofDays(1));
    assertThat(WriteBehindOptions.defaults().ttl("1h").jitter("5s").minIdle("10s"))
        .isEqualTo(WriteBehindOptions.defaults().ttl(Duration.ofHours(1))
            .jitter(Duration.ofSeconds(5)).minIdle(Duration.ofSeconds(10)));
  }

  @Test
  void badDurationText_namesTheOptionAndTheFix() {
    assertThatThrownBy(() -> CacheOptions.defaults().ttl("10 minutes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CacheOptions.ttl(\"10 minutes\")")
        .hasMessageContaining("\"10m\"")
        .hasMessageContaining("or pass a java.time.Duration");
    assertThatThrownBy(() -> QueueOptions.defaults().visibilityTimeout("-5s"))
        .hasMessageContaining("QueueOptions.visibilityTimeout");
    assertThatThrownBy(() -> Limit.of(RateLimitAlgorithm.GCRA, 1, "soon"))
        .hasMessageContaining("Limit.window");
  }

  @Test
  void counterRetention_notSet_followsTheGranularity() {
    assertThat(CounterOptions.defaults().granularity(Granularity.HOUR).retention())
        .isEqualTo(Granularity.HOUR.defaultRetention());
    assertThat(CounterOptions.defaults().retention("2d").granularity(Granularity.HOUR).retention())
        .isEqualTo(Duration.ofDays(2));
  }
}
