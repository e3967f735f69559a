package dev.weft.aspectj.counted;

import dev.weft.Weft;
import dev.weft.annotation.Counted;
import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.cache.CacheOptions;
import dev.weft.counter.Counter;
import dev.weft.counter.CounterOptions;
import dev.weft.counter.Granularity;
import dev.weft.exception.RateLimitExceededException;
import dev.weft.ratelimit.Limit;
import dev.weft.ratelimit.RateLimitDecision;
import dev.weft.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@link Pages} with its {@code @Counted} annotations written out with {@link Counter}: each
 * method runs the (here unwoven) annotated method and then sends its increments with {@link
 * Counter#incrementAsync}, ignoring what Redis answers, as the annotation does; a future counts
 * when it completes; a refused or failed call counts as a failure. The runtime is {@link
 * Weft#global()}, read at each call.
 */
final class ProgrammaticPages extends Pages {

  private static final CounterOptions MINUTES = CounterOptions.defaults().granularity(
      Granularity.MINUTE);
  private static final CounterOptions HOURS_FOR_2_DAYS =
      CounterOptions.defaults().granularity(Granularity.HOUR).retention(Duration.ofDays(2));

  /** Adds 1 under {@code key} without waiting; a failure is the counter's, never the call's. */
  private static void count(String name, CounterOptions options, String key) {
    Weft.global().counter(name, options).incrementAsync(key);
  }

  private static void count(String key) {
    count(Counted.DEFAULT_NAME, MINUTES, key);
  }

  /** Runs {@code call}, then counts it under {@code ok} or {@code failed} by its outcome. */
  private static <T> T counting(String ok, String failed, Supplier<T> call) {
    T result;
    try {
      result = call.get();
    } catch (RuntimeException e) {
      count(failed);
      throw e;
    }
    count(ok);
    return result;
  }

  @Override
  public String view(String page) {
    String result = super.view(page);
    count("views:" + page);
    count("views");
    return result;
  }

  @Override
  public String checkout(String cart, boolean declined) {
    return counting("checkout:ok", "checkout:failed", () -> super.checkout(cart, declined));
  }

  @Override
  public String article(String id) {
    String result =
        Weft.global()
            .cache(String.class, CacheOptions.defaults().ttl("10m"))
            .get("article:" + id, () -> super.article(id));
    count("reads:" + id);
    return result;
  }

  @Override
  public CompletableFuture<String> export(CompletableFuture<String> job) {
    CompletableFuture<String> result = super.export(job);
    result.whenComplete(
        (value, failure) -> count(failure == null ? "export:done" : "export:failed"));
    return result;
  }

  @Override
  public String search(String query) {
    RateLimiter limiter =
        Weft.global().rateLimiter(Limit.of(RateLimitAlgorithm.GCRA, 2, Duration.ofMinutes(1)));
    RateLimitDecision decision = limiter.tryAcquire("search");
    count("search:calls");
    if (!decision.allowed()) {
      count("search:refused");
      throw new RateLimitExceededException(
          "search: " + decision.limit() + " on search is reached; retry after "
              + decision.retryAfter(),
          decision.retryAfter(), decision.limit() + " on search", decision.limit().permits(),
          decision.reset());
    }
    return super.search(query);
  }

  @Override
  public void order(Order order) {
    super.order(order);
    count("orders", HOURS_FOR_2_DAYS, "orders:" + order.region());
  }

  @Override
  public String report(String region, String from, String to, String format, int limit) {
    String result = super.report(region, from, to, format, limit);
    count("report:" + region + ":" + format);
    return result;
  }

  @Override
  public String misspelled(String page) {
    throw new UnsupportedOperationException(
        "a misnamed template is an annotation mistake; a Counter is given the finished key");
  }
}
