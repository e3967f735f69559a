package dev.weft.aspectj.caching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.annotation.Counted;
import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.aspectj.Mode;
import dev.weft.aspectj.StaleEntries;
import dev.weft.aspectj.WovenRedisTest;
import dev.weft.aspectj.caching.Shop.Product;
import dev.weft.counter.Counter;
import dev.weft.counter.CounterOptions;
import dev.weft.counter.Granularity;
import dev.weft.exception.LockNotAcquiredException;
import dev.weft.exception.RateLimitExceededException;
import dev.weft.ratelimit.Limit;
import dev.weft.ratelimit.RateLimiter;
import dev.weft.test.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A background refresh is a real call of the method, minus its own cache lookup: woven methods
 * its body calls keep every step (limits, counters, write-throughs, invalidations), and the
 * method's own steps run too, {@code @Counted} aside. Each test loads an entry, makes it stale,
 * starts one refresh ({@link StaleEntries}) and waits, bounded, for what the refresh must do.
 */
class RefreshBehaviourTest extends WovenRedisTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration WINDOW = Duration.ofMinutes(1);

  private Digests digests;

  @BeforeEach
  void newDigests() {
    digests = Digests.create();
  }

  private <T> List<T> refreshOnce(String key, Supplier<T> call) {
    return StaleEntries.refreshOnce(redis, key, WINDOW, digests.loads, call);
  }

  /** Waits until the entry at {@code key} holds the body's run {@code n}. */
  private static void awaitStored(String key, int n) {
    Await.until(WAIT, () -> "'" + key + "' holds run #" + n + ", holds " + redis.get(key),
        () -> String.valueOf(redis.get(key)).contains("#" + n));
  }

  @Test
  void refresh_nestedRateLimitedCall_takesAPermitAndIsRefusedOnceTheLimitIsReached() {
    assertThat(digests.quoted("ann")).isEqualTo("quote for ann #1");
    List<String> served = refreshOnce("digest:quote:ann", () -> digests.quoted("ann"));
    assertThat(served).as("what callers got while the refresh ran").containsOnly("quote for ann #1");
    awaitStored("digest:quote:ann", 2);

    // 3 a minute: the load and the refresh took two, so one is left
    assertThat(digests.quotes.quote("ann")).isEqualTo("quote for ann");
    assertThatThrownBy(() -> digests.quotes.quote("ann"))
        .as("the refresh's nested call took a permit")
        .isInstanceOf(RateLimitExceededException.class);

    served = refreshOnce("digest:quote:ann", () -> digests.quoted("ann"));
    Await.until(WAIT, () -> "the refresh's nested call is refused", () -> !digests.failures.isEmpty());
    assertThat(digests.failures).singleElement().isInstanceOf(RateLimitExceededException.class);
    assertThat(served).containsOnly("quote for ann #2");
    assertThat(redis.get("digest:quote:ann")).as("a refused refresh stores nothing").contains("#2");
  }

  @Test
  void refresh_nestedCountedCall_isCounted_theRefreshedMethodsOwnCounterCountsCallersOnly() {
    Counter calls =
        weft.counter(Counted.DEFAULT_NAME,
            CounterOptions.defaults().granularity(Granularity.MINUTE));
    digests.viewed("home");
    List<String> served = refreshOnce("digest:view:home", () -> digests.viewed("home"));
    awaitStored("digest:view:home", 2);

    assertCount(calls, "views:home", 2);
    assertCount(calls, "digest-views:home", 1 + served.size());
  }

  @Test
  void refresh_nestedWriteThrough_writesItsEntry() {
    assertThat(digests.saved("pad")).isEqualTo("Pad #1");
    assertThat(redis.get("product:pad")).contains("Pad #1");

    refreshOnce("digest:save:pad", () -> digests.saved("pad"));
    awaitStored("digest:save:pad", 2);

    assertThat(redis.get("product:pad")).as("written by the refresh's nested call").contains("Pad #2");
    assertThat(digests.shop.product("pad", "refreshed").name()).isEqualTo("Pad #2");
  }

  @Test
  void refresh_nestedInvalidate_removesItsEntry() {
    digests.removed("kb");
    digests.shop.save(new Product("kb", "Keyboard", "peripherals", 8900));
    assertThat(redis.exists("product:kb")).isEqualTo(1);

    refreshOnce("digest:remove:kb", () -> digests.removed("kb"));
    awaitStored("digest:remove:kb", 2);

    assertThat(redis.exists("product:kb")).as("removed by the refresh's nested call").isZero();
  }

  @Test
  void refresh_ofARateLimitedMethod_takesAPermitOfItsOwnLimit() {
    assumeTrue(Mode.annotated(), "the limit is the refreshed method's own annotation");
    digests.limited("bob");
    List<String> served = refreshOnce("digest:limited:bob", () -> digests.limited("bob"));
    awaitStored("digest:limited:bob", 2);

    long used = 1 + served.size() + 1; // the load, the callers' calls, the refresh
    RateLimiter limiter = weft.rateLimiter(Limit.of(RateLimitAlgorithm.SLIDING_WINDOW_LOG, 100,
        Duration.ofHours(1)));
    assertThat(limiter.tryAcquire("digest-limit:bob").remaining())
        .as("permits left after %d calls and this one", used)
        .isEqualTo(100 - used - 1);
  }

  @Test
  void refresh_ofALockedMethod_runsUnderItsOwnLock() {
    assumeTrue(Mode.annotated(), "the lock is the refreshed method's own annotation");
    digests.locked("job");
    refreshOnce("digest:locked:job", () -> {
      try {
        return digests.locked("job");
      } catch (LockNotAcquiredException e) {
        return "refused: the refresh holds the lock"; // a caller has waitTime 0
      }
    });
    awaitStored("digest:locked:job", 2);

    assertThat(digests.lockedRuns).hasSize(2);
    assertThat(digests.lockedRuns.get(1)).as("the refresh's run").startsWith("weft-refresh")
        .endsWith("held=true");
  }

  private static void assertCount(Counter counter, String key, long expected) {
    long[] seen = {-1};
    Await.until(WAIT, () -> "count of '" + key + "' " + expected + ", seen " + seen[0],
        () -> (seen[0] = total(counter, key)) == expected);
  }

  private static long total(Counter counter, String key) {
    Instant now = Instant.now();
    return counter.total(key, now.minus(Duration.ofHours(2)), now.plus(Duration.ofHours(2)));
  }
}
