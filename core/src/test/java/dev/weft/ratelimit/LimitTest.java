package dev.weft.ratelimit;

import dev.weft.annotation.RateLimitAlgorithm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Validation of {@link Limit}; no Redis. */
class LimitTest {

  @Test
  void validLimit_keepsItsValues() {
    Limit limit = Limit.of(RateLimitAlgorithm.GCRA, 10, Duration.ofSeconds(1));

    assertThat(limit.permits()).isEqualTo(10);
    assertThat(limit.windowMillis()).isEqualTo(1000);
    assertThat(limit.algorithm()).isEqualTo(RateLimitAlgorithm.GCRA);
  }

  @Test
  void zeroPermits_rejectedWithTheValue() {
    assertThatThrownBy(() -> Limit.of(RateLimitAlgorithm.FIXED_WINDOW, 0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("permits must be at least 1, got 0");
  }

  @Test
  void slidingLogAboveMaximum_rejectedNamingTheLimitAndTheFix() {
    assertThatThrownBy(
            () -> Limit.of(RateLimitAlgorithm.SLIDING_WINDOW_LOG, 1_000_000, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("permits = 1000000 is above 10000")
        .hasMessageContaining("SLIDING_WINDOW_LOG limit grants per window (for 1000000 per PT1H)")
        .hasMessageContaining("use SLIDING_WINDOW_COUNTER or GCRA for large limits");
    assertThatThrownBy(
            () -> Limit.of(RateLimitAlgorithm.SLIDING_WINDOW_LOG,
                RateLimitAlgorithm.MAX_LOG_PERMITS + 1, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void slidingLogAtMaximum_andOtherAlgorithmsAboveIt_accepted() {
    assertThat(Limit.of(RateLimitAlgorithm.SLIDING_WINDOW_LOG, RateLimitAlgorithm.MAX_LOG_PERMITS,
        Duration.ofHours(1)).permits()).isEqualTo(10_000);
    for (RateLimitAlgorithm algorithm : RateLimitAlgorithm.values()) {
      if (algorithm != RateLimitAlgorithm.SLIDING_WINDOW_LOG) {
        assertThat(Limit.of(algorithm, 1_000_000, Duration.ofHours(1)).permits())
            .as("%s keeps one or two numbers whatever the permits", algorithm)
            .isEqualTo(1_000_000);
      }
    }
  }

  @Test
  void windowBelowOneMillisecond_rejected() {
    assertThatThrownBy(() -> Limit.of(RateLimitAlgorithm.FIXED_WINDOW, 1, Duration.ofNanos(999_999)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window must be at least 1 ms");
    assertThatThrownBy(() -> Limit.of(RateLimitAlgorithm.FIXED_WINDOW, 1, Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window must be at least 1 ms");
  }

  @Test
  void windowWithSubMillisecondPart_rejectedWithRoundedSuggestion() {
    assertThatThrownBy(() -> Limit.of(RateLimitAlgorithm.GCRA, 1, Duration.ofMillis(1).plusNanos(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whole milliseconds")
        .hasMessageContaining("PT0.001S");
  }

  @Test
  void nullAlgorithmOrWindow_rejected() {
    assertThatThrownBy(() -> Limit.of(null, 1, Duration.ofSeconds(1)))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("algorithm");
    assertThatThrownBy(() -> Limit.of(RateLimitAlgorithm.GCRA, 1, (Duration) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("window");
  }
}
