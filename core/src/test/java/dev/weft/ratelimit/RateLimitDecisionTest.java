package dev.weft.ratelimit;

import dev.weft.annotation.RateLimitAlgorithm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link RateLimitDecision#headers()} and validation; no Redis. */
class RateLimitDecisionTest {

  private static final Limit LIMIT = Limit.of(RateLimitAlgorithm.GCRA, 10, Duration.ofMinutes(1));

  @Test
  void headers_allowed_noRetryAfter_resetRoundedUp() {
    var decision =
        new RateLimitDecision(true, 7, Duration.ZERO, Duration.ofMillis(18_001), LIMIT, java.time.Instant.EPOCH);

    assertThat(decision.headers())
        .containsExactly(
            entry("RateLimit-Limit", "10"),
            entry("RateLimit-Remaining", "7"),
            entry("RateLimit-Reset", "19"));
  }

  @Test
  void headers_denied_retryAfterRoundedUp() {
    var decision =
        new RateLimitDecision(false, 0, Duration.ofMillis(1_500), Duration.ofSeconds(60), LIMIT, java.time.Instant.EPOCH);

    assertThat(decision.headers())
        .containsExactly(
            entry("RateLimit-Limit", "10"),
            entry("RateLimit-Remaining", "0"),
            entry("RateLimit-Reset", "60"),
            entry("Retry-After", "2"));
  }

  @Test
  void headers_deniedWithSubMillisecondWait_retryAfterAtLeastOneSecond() {
    var decision = new RateLimitDecision(false, 0, Duration.ZERO, Duration.ZERO, LIMIT, java.time.Instant.EPOCH);

    assertThat(decision.headers()).containsEntry("Retry-After", "1");
  }

  @Test
  void allowedWithRetryAfter_rejected() {
    assertThatThrownBy(
            () -> new RateLimitDecision(true, 1, Duration.ofMillis(1), Duration.ZERO, LIMIT, java.time.Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allowed decision has no retryAfter");
  }

  private static java.util.Map.Entry<String, String> entry(String name, String value) {
    return java.util.Map.entry(name, value);
  }
}
