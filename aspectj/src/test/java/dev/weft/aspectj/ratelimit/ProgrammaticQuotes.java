package dev.weft.aspectj.ratelimit;

import dev.weft.Weft;
import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.exception.RateLimitExceededException;
import dev.weft.exception.WeftUnavailableException;
import dev.weft.ratelimit.Limit;
import dev.weft.ratelimit.RateLimitDecision;
import dev.weft.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Quotes} with its {@code @RateLimited} annotations written out with {@link RateLimiter}:
 * each method asks its limiter, throws {@link RateLimitExceededException} when denied, follows the
 * annotation's policy when Redis cannot decide, and calls the annotated (here unwoven) method for
 * the body. Messages say what the annotation layer says, so the suite's assertions read the same.
 */
final class ProgrammaticQuotes extends Quotes {

  private static final Duration MINUTE = Duration.ofMinutes(1);
  private final Map<List<Object>, RateLimiter> limiters = new ConcurrentHashMap<>();

  /** @return the limiter of {@code limits} on the current runtime, built once per runtime */
  private RateLimiter limiter(Limit... limits) {
    Weft weft = Weft.global();
    return limiters.computeIfAbsent(
        List.of(weft, List.of(limits)), k -> weft.rateLimiter(limits));
  }

  private static Limit gcra(long permits, Duration window) {
    return Limit.of(RateLimitAlgorithm.GCRA, permits, window);
  }

  /** Takes a permit or throws, as {@code onLimit = THROW} does. */
  private static void take(RateLimiter limiter, String key, String method) {
    check(limiter.tryAcquire(key), key, method);
  }

  private static void check(RateLimitDecision decision, String key, String method) {
    if (!decision.allowed()) {
      String fired = decision.limit() + " on " + key;
      throw new RateLimitExceededException(
          method + ": " + fired + " is reached; retry after " + decision.retryAfter(),
          decision.retryAfter(), fired, decision.limit().permits(), decision.reset());
    }
  }

  @Override
  public String quote(String user) {
    take(limiter(gcra(3, MINUTE)), "quote:" + user, Quotes.class.getName() + ".quote(String)");
    return super.quote(user);
  }

  @Override
  public void both(String user) {
    take(
        limiter(
            gcra(2, MINUTE),
            Limit.of(RateLimitAlgorithm.SLIDING_WINDOW_LOG, 5, Duration.ofHours(1))),
        "both:" + user, "both");
    super.both(user);
  }

  @Override
  public int waiting(String user) {
    String key = "wait:" + user;
    try {
      check(limiter(gcra(2, Duration.ofMillis(600))).acquire(key, Duration.ofSeconds(5)), key,
          "waiting");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a permit of " + key, e);
    }
    return super.waiting(user);
  }

  @Override
  public void global() {
    take(limiter(Limit.of(RateLimitAlgorithm.FIXED_WINDOW, 1, MINUTE)), "quotes", "global");
    super.global();
  }

  @Override
  public void allowWhenDown(String user) {
    try {
      take(limiter(gcra(1, MINUTE)), "allow:" + user, "allowWhenDown");
    } catch (WeftUnavailableException e) {
      // Redis cannot decide: let the call through, as onRedisFailure = ALLOW does.
    }
    super.allowWhenDown(user);
  }

  @Override
  public void denyWhenDown(String user) {
    String key = "deny:" + user;
    RateLimiter limiter = limiter(gcra(1, MINUTE));
    try {
      take(limiter, key, "denyWhenDown");
    } catch (WeftUnavailableException e) {
      throw new RateLimitExceededException(
          "denyWhenDown: Redis cannot decide the limit of '" + key + "' (" + e.getMessage()
              + ") and onRedisFailure = DENY",
          Duration.ofSeconds(1), limiter.limits() + " on " + key, e);
    }
    super.denyWhenDown(user);
  }

  @Override
  public void mismatchedKeys(String user) {
    throw new UnsupportedOperationException(
        "limits with different keys are an annotation mistake; a RateLimiter has one key");
  }
}
