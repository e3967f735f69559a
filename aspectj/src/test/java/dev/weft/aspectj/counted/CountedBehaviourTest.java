package dev.weft.aspectj.counted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.annotation.Counted;
import dev.weft.aspectj.Mode;
import dev.weft.aspectj.WovenRedisTest;
import dev.weft.counter.Counter;
import dev.weft.counter.CounterOptions;
import dev.weft.counter.Granularity;
import dev.weft.exception.RateLimitExceededException;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.exception.WeftUnavailableException;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @Counted} on woven methods, against a real Redis; the counts are read back with {@link
 * Counter}, as a user reads them. Increments are sent without waiting for Redis, so each
 * assertion on a count waits, within a bound, for the count to reach its value: it reads the
 * count again until then, and fails with the last count seen.
 */
class CountedBehaviourTest extends WovenRedisTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private Pages pages;

  @BeforeEach
  void newPages() {
    pages = Pages.create();
  }

  private static Counter calls() {
    return weft.counter(Counted.DEFAULT_NAME,
        CounterOptions.defaults().granularity(Granularity.MINUTE));
  }

  private static long count(Counter counter, String key) {
    Instant now = Instant.now();
    return counter.total(key, now.minus(Duration.ofHours(2)), now.plus(Duration.ofHours(2)));
  }

  /** Reads {@code key}'s count until it is {@code expected} or {@link #WAIT} has passed. */
  private static void assertCount(Counter counter, String key, long expected) {
    long[] seen = {count(counter, key)};
    Await.until(WAIT, () -> "count of '" + key + "' " + expected + ", seen " + seen[0],
        () -> (seen[0] = count(counter, key)) == expected);
    assertThat(seen[0]).as("count of '%s' within %s", key, WAIT).isEqualTo(expected);
  }

  private static void assertCount(String key, long expected) {
    assertCount(calls(), key, expected);
  }

  @Test
  void everyCall_countedUnderEachOfItsKeys() {
    assertThat(pages.view("home")).isEqualTo("page home");
    pages.view("home");
    pages.view("home");
    pages.view("about");

    assertCount("views:home", 3);
    assertCount("views:about", 1);
    assertCount("views", 4);
    assertThat(pages.runs).hasValue(4);
  }

  @Test
  void methodOfManyParameters_countedToo() {
    assertThat(pages.report("eu", "2024-01", "2024-02", "csv", 10)).isEqualTo("eu csv");
    pages.report("eu", "2024-02", "2024-03", "csv", 10);

    assertCount("report:eu:csv", 2);
  }

  @Test
  void outcome_successesAndFailuresCountedApart_failureReachesTheCallerUnchanged() {
    pages.checkout("c1", false);
    pages.checkout("c2", false);
    assertThatThrownBy(() -> pages.checkout("c3", true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("card declined for c3");

    assertCount("checkout:ok", 2);
    assertCount("checkout:failed", 1);
  }

  @Test
  void cachedMethod_hitsAreCountedToo() {
    for (int i = 0; i < 3; i++) {
      assertThat(pages.article("a")).isEqualTo("article a");
    }

    assertCount("reads:a", 3);
    assertThat(pages.runs).as("loaded once, then answered from the cache").hasValue(1);
  }

  @Test
  void future_countedWhenItCompletes_byHowItCompletes() {
    pages.view("warm-up");
    assertCount("views", 1); // the runtime is connected: increments leave on the calling thread
    CompletableFuture<String> done = new CompletableFuture<>();
    CompletableFuture<String> failing = new CompletableFuture<>();

    CompletableFuture<String> first = pages.export(done);
    CompletableFuture<String> second = pages.export(failing);
    assertThat(count(calls(), "export:done") + count(calls(), "export:failed"))
        .as("nothing is counted before the futures complete")
        .isZero();

    done.complete("report.csv");
    failing.completeExceptionally(new IllegalStateException("disk full"));

    assertThat(first).isCompletedWithValue("report.csv");
    assertThat(second).isCompletedExceptionally();
    assertCount("export:done", 1);
    assertCount("export:failed", 1);
  }

  @Test
  void rateLimitedMethod_refusedCallsCountedAsFailures() {
    pages.search("a");
    pages.search("b");
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> pages.search("c")).isInstanceOf(RateLimitExceededException.class);
    }

    assertCount("search:calls", 4);
    assertCount("search:refused", 2);
    assertThat(pages.runs).hasValue(2);
  }

  @Test
  void nameGranularityAndRetention_areTheAnnotations() {
    pages.order(new Pages.Order("eu", 1200));

    Counter orders =
        weft.counter("orders",
            CounterOptions.defaults().granularity(Granularity.HOUR).retention(Duration.ofDays(2)));
    assertCount(orders, "orders:eu", 1);
    List<String> buckets = redis.keys("weft:ctr:orders:{orders:eu}:h:*");
    assertThat(buckets).hasSize(1);
    String bucket = buckets.get(0);
    long start = Long.parseLong(bucket.substring(bucket.lastIndexOf(':') + 1));
    long expiresAt = start + Duration.ofHours(1).plusDays(2).toSeconds();
    long now = Long.parseLong(redis.time().get(0));
    assertThat(redis.ttl(bucket))
        .as("kept 2 days after the hour ends")
        .isBetween(expiresAt - now - 2, expiresAt - now);
  }

  @Test
  void redisKilled_callsAnswerUncounted_countingResumesAfterRestart(RedisServer server) {
    pages.view("warm-up");
    assertCount("views", 1);

    server.kill();
    for (int i = 0; i < 20; i++) {
      long start = System.nanoTime();
      assertThat(pages.view("down")).isEqualTo("page down");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("a call does not wait for the dead Redis")
          .isLessThan(Duration.ofSeconds(1));
    }
    assertThat(pages.runs).hasValue(21);

    server.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    boolean counted = false;
    while (!counted && System.nanoTime() < deadline) {
      pages.view("back");
      try {
        counted = count(calls(), "views:back") > 0;
      } catch (WeftUnavailableException e) {
        // not answering yet
      }
    }
    assertThat(counted).as("counting resumes after the restart").isTrue();
    assertThat(count(calls(), "views:down"))
        .as("the server came back empty: nothing was queued and replayed")
        .isZero();
  }

  @Test
  void misspelledKey_isAConfigurationErrorAtFirstCall_namingMethodAttributeAndFix() {
    assumeTrue(Mode.annotated(), "an annotation mistake; a Counter is given the finished key");
    assertThatThrownBy(() -> pages.misspelled("home"))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining(
            "@Counted(key = \"views:{pgae}\") on " + Pages.class.getName()
                + ".misspelled(String): no parameter named 'pgae'; available: page");
    assertThat(pages.runs).hasValue(0);
  }
}
