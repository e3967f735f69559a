package dev.weft.aspectj.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.Weft;
import dev.weft.aspectj.Mode;
import dev.weft.aspectj.WovenRedisTest;
import dev.weft.exception.RateLimitExceededException;
import dev.weft.exception.WeftConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code @RateLimited} on woven methods, against a real Redis. */
class RateLimitedBehaviourTest extends WovenRedisTest {

  private final Quotes quotes = Quotes.create();

  @Test
  void permitsPerKey_thenRejectedWithRetryAfter_otherKeysUnaffected() {
    for (int i = 0; i < 3; i++) {
      assertThat(quotes.quote("ann")).isEqualTo("quote for ann");
    }
    assertThatThrownBy(() -> quotes.quote("ann"))
        .isInstanceOfSatisfying(RateLimitExceededException.class, e -> {
          assertThat(e.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
          assertThat(e.limit()).contains("quote:ann");
          assertThat(e.getMessage()).contains(Mode.annotationOnly(Quotes.class.getName() + ".quote(String)"));
          assertThat(e.getStackTrace()).as("a denial is not a fault: no stack trace").isEmpty();
          assertThat(e.permits()).isEqualTo(3);
          assertThat(e.headers()).containsEntry("RateLimit-Limit", "3")
              .containsEntry("RateLimit-Remaining", "0").containsKeys("RateLimit-Reset", "Retry-After");
        });
    assertThat(quotes.quote("bob")).isEqualTo("quote for bob");
    assertThat(quotes.runs).hasValue(4);
  }

  @Test
  void twoLimits_callDeniedByOneConsumesNothingFromTheOther() {
    quotes.both("ann");
    quotes.both("ann");
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> quotes.both("ann")).isInstanceOf(RateLimitExceededException.class);
    }
    assertThat(quotes.runs).hasValue(2);
    // The hourly sliding log holds only the two calls that ran, never the denied ones.
    String log = redis.keys("weft:rl:{both:ann}:sliding_window_log*").get(0);
    assertThat(redis.zcard(log)).isEqualTo(2);
  }

  @Test
  void waitMode_waitsForThePermit_insteadOfThrowing() {
    long start = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      quotes.waiting("ann");
    }
    assertThat(quotes.runs).hasValue(4);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("the third and fourth calls waited for permits")
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }

  @Test
  void emptyKey_isOneLimitForTheMethod() {
    assumeTrue(Mode.annotated(), "an empty key is an annotation's; a RateLimiter is always given one");
    quotes.global();
    assertThatThrownBy(quotes::global).isInstanceOf(RateLimitExceededException.class);
    assertThat(redis.keys("weft:rl:*")).singleElement().asString().contains("Quotes.global()");
  }

  @Test
  void everyKeyHasATtl() {
    quotes.quote("ttl");
    quotes.both("ttl");
    for (String key : redis.keys("weft:rl:*")) {
      assertThat(redis.pttl(key)).as(key).isPositive();
    }
  }

  @Test
  void limitsWithDifferentKeys_areAConfigurationErrorAtFirstCall() {
    assumeTrue(Mode.annotated(), "an annotation mistake; a RateLimiter has one key");
    assertThatThrownBy(() -> quotes.mismatchedKeys("ann"))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("must share one key");
    assertThat(quotes.runs).hasValue(0);
  }

  @Test
  void redisKilledMidRun_allowAndDenyAsAnnotated_limitingResumesAfterRestart(
      dev.weft.test.RedisServer server) {
    server.kill();
    long start = System.nanoTime();
    quotes.allowWhenDown("cara");
    quotes.allowWhenDown("cara");
    assertThatThrownBy(() -> quotes.denyWhenDown("cara"))
        .isInstanceOf(RateLimitExceededException.class);
    assertThat(quotes.runs).hasValue(2);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("decided within the command timeout, not hanging").isLessThan(Duration.ofSeconds(10));

    server.start();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    boolean limited = false;
    while (!limited && System.nanoTime() < deadline) {
      try {
        quotes.denyWhenDown("dan");
        quotes.denyWhenDown("dan");
      } catch (RateLimitExceededException e) {
        limited = e.getMessage().contains("is reached");
      }
    }
    assertThat(limited).as("limiting resumes after the restart").isTrue();
  }

  @Test
  void redisUnreachable_allowOrDenyAsAnnotated() {
    Weft dead = Weft.builder().redisUrl("redis://127.0.0.1:1").commandTimeout("200ms").build();
    Weft.install(dead);
    try {
      quotes.allowWhenDown("ann");
      quotes.allowWhenDown("ann");
      assertThat(quotes.runs).hasValue(2);
      assertThatThrownBy(() -> quotes.denyWhenDown("ann"))
          .isInstanceOf(RateLimitExceededException.class)
          .hasMessageContaining("onRedisFailure = DENY")
          .hasCauseInstanceOf(dev.weft.exception.WeftUnavailableException.class)
          .satisfies(e -> assertThat(e.getStackTrace()).isNotEmpty());
      assertThat(quotes.runs).hasValue(2);
    } finally {
      Weft.install(weft);
      dead.close();
    }
  }
}
