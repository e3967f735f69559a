package dev.weft.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.exception.RateLimitExceededException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A refusal's HTTP headers are those of the denied decision it came from. */
class RateLimitExceededExceptionTest {

  @Test
  void headers_areTheDeniedDecisions() {
    Limit limit = Limit.of(RateLimitAlgorithm.GCRA, 10, Duration.ofMinutes(1));
    RateLimitDecision decision = new RateLimitDecision(
        false, 0, Duration.ofMillis(5_200), Duration.ofMillis(54_001), limit, Instant.now());
    RateLimitExceededException e = new RateLimitExceededException("refused",
        decision.retryAfter(), "10 per PT1M on k", limit.permits(), decision.reset());

    assertThat(e.headers()).containsExactlyEntriesOf(decision.headers());
    assertThat(e.headers()).containsEntry("RateLimit-Limit", "10").containsEntry("Retry-After", "6")
        .containsEntry("RateLimit-Reset", "55");
  }

  @Test
  void withoutTheDecision_theHeadersSayWhatIsKnown() {
    RateLimitExceededException e =
        new RateLimitExceededException("refused", Duration.ofMillis(300), "a limit");

    assertThat(e.headers()).doesNotContainKey("RateLimit-Limit")
        .containsEntry("RateLimit-Remaining", "0").containsEntry("RateLimit-Reset", "1")
        .containsEntry("Retry-After", "1");
  }
}
