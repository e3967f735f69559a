package dev.weft.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.exception.WeftUnavailableException;
import dev.weft.outage.CommandStats;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link RateLimiter} against a real Redis: every algorithm, multi-limit atomicity, keys, TTLs. */
@WeftRedis
class RateLimiterTest {

  private static final Duration SHORT = Duration.ofMillis(500);
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private Weft weft;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;
  private ServerClock clock;

  @BeforeEach
  void connect(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
    clock = new ServerClock(redis);
    // open the connection and load the script outside of the timed scenarios
    weft.rateLimiter(Limit.of(RateLimitAlgorithm.GCRA, 1,
        MINUTE)).tryAcquire("warm-up:" + UUID.randomUUID());
  }

  @AfterEach
  void close() {
    connection.close();
    client.shutdown();
    weft.close();
  }

  /**
   * A sliding log stores one member per permit in one script: a request of the maximum, 10,000,
   * is granted and stores that many; a larger request, or a larger log limit, is refused before
   * anything is sent (it was a million {@code ZADD}s in one script).
   */
  @Test
  void slidingLog_requestOfTheMaximum_granted_largerRefusedBeforeRedis() {
    long max = RateLimitAlgorithm.MAX_LOG_PERMITS;
    RateLimiter limiter = weft.rateLimiter(Limit.of(RateLimitAlgorithm.SLIDING_WINDOW_LOG, max,
        Duration.ofHours(1)));

    assertThat(limiter.tryAcquire("bulk", max).allowed()).isTrue();
    assertThat(redis.keys("weft:rl:{bulk}*")).singleElement()
        .satisfies(key -> assertThat(redis.zcard(key)).isEqualTo(max));
    assertThatThrownBy(() -> limiter.tryAcquire("bulk-2", 1_000_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("permits must be between 1 and 10000");
    assertThatThrownBy(() -> weft.rateLimiter(Limit.of(RateLimitAlgorithm.SLIDING_WINDOW_LOG,
        1_000_000, Duration.ofHours(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use SLIDING_WINDOW_COUNTER or GCRA for large limits");
    assertThat(redis.keys("weft:rl:{bulk-2}*")).isEmpty();
  }

  /** Demand of twice the limit within one window: exactly {@code permits} allowed (the burst). */
  @ParameterizedTest
  @EnumSource(RateLimitAlgorithm.class)
  void burstAboveLimit_allowsExactlyPermits_thenDeniesWithRetryAfter_andRetryAfterYieldsPermit(
      RateLimitAlgorithm algorithm) {
    Limit limit = Limit.of(algorithm, 5, SHORT);
    RateLimiter limiter = weft.rateLimiter(limit);

    record Burst(String key, List<RateLimitDecision> decisions, long receivedNanos) {}
    Burst burst =
        clock.withinOneWindow(
            SHORT,
            key -> {
              List<RateLimitDecision> decisions = new ArrayList<>();
              for (int i = 0; i < 10; i++) {
                decisions.add(limiter.tryAcquire(key));
              }
              return new Burst(key, decisions, System.nanoTime());
            });

    List<RateLimitDecision> decisions = burst.decisions();
    assertThat(decisions).extracting(RateLimitDecision::allowed)
        .containsExactly(true, true, true, true, true, false, false, false, false, false);
    assertThat(decisions.subList(0, 5)).extracting(RateLimitDecision::remaining)
        .containsExactly(4L, 3L, 2L, 1L, 0L);
    assertThat(decisions).allSatisfy(d -> assertThat(d.limit()).isEqualTo(limit));
    RateLimitDecision denied = decisions.get(9);
    assertThat(denied.remaining()).isZero();
    assertThat(denied.retryAfter()).isPositive().isLessThanOrEqualTo(SHORT.multipliedBy(2));
    assertThat(denied.reset()).isPositive();

    ServerClock.awaitElapsed(burst.receivedNanos(), denied.retryAfter());
    RateLimitDecision afterWait = limiter.tryAcquire(burst.key());

    assertThat(afterWait.allowed()).as("allowed after waiting %s", denied.retryAfter()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(RateLimitAlgorithm.class)
  void deniedRequest_retryAfterIsNotEarly(RateLimitAlgorithm algorithm) {
    Limit limit = Limit.of(algorithm, 2, Duration.ofSeconds(2));
    RateLimiter limiter = weft.rateLimiter(limit);
    String key = "early:" + UUID.randomUUID();
    limiter.tryAcquire(key);
    limiter.tryAcquire(key);

    RateLimitDecision denied = limiter.tryAcquire(key);
    RateLimitDecision again = limiter.tryAcquire(key);

    assertThat(denied.allowed()).isFalse();
    assertThat(again.allowed()).isFalse();
    assertThat(again.retryAfter()).isPositive().isLessThanOrEqualTo(denied.retryAfter());
  }

  @Test
  void slidingLog_neverHoldsMoreThanPermitsMembers() {
    Limit limit = Limit.of(RateLimitAlgorithm.SLIDING_WINDOW_LOG, 5, MINUTE);
    RateLimiter limiter = weft.rateLimiter(limit);
    String key = "log:" + UUID.randomUUID();

    for (int i = 0; i < 20; i++) {
      limiter.tryAcquire(key);
      assertThat(redis.zcard("weft:rl:{" + key + "}:sliding_window_log:5/60000")).isLessThanOrEqualTo(5);
    }

    assertThat(redis.zcard("weft:rl:{" + key + "}:sliding_window_log:5/60000")).isEqualTo(5);
  }

  @Test
  void everyKeyWritten_hasTtl() {
    RateLimiter limiter =
        weft.rateLimiter(Limit.of(RateLimitAlgorithm.TOKEN_BUCKET, 3, MINUTE),
            Limit.of(RateLimitAlgorithm.SLIDING_WINDOW_LOG, 3, MINUTE),
            Limit.of(RateLimitAlgorithm.SLIDING_WINDOW_COUNTER, 3, MINUTE),
            Limit.of(RateLimitAlgorithm.FIXED_WINDOW, 3, MINUTE),
            Limit.of(RateLimitAlgorithm.GCRA, 3, MINUTE));
    String key = "ttl-" + UUID.randomUUID();
    for (int i = 0; i < 5; i++) {
      limiter.tryAcquire(key);
    }

    List<String> keys = keysMatching("weft:rl:{" + key + "}*");

    assertThat(keys).hasSize(5);
    assertThat(keys).allSatisfy(k -> assertThat(redis.pttl(k)).as("PTTL of %s", k).isPositive());
  }

  @Test
  void keyLayout_userKeyIsHashTag() {
    String key = "user:" + UUID.randomUUID();
    weft.rateLimiter(Limit.of(RateLimitAlgorithm.GCRA, 10, Duration.ofSeconds(1))).tryAcquire(key);

    assertThat(redis.exists("weft:rl:{" + key + "}:gcra:10/1000")).isEqualTo(1);
  }

  /** A request denied by the second limit takes nothing from the first. */
  @ParameterizedTest
  @EnumSource(RateLimitAlgorithm.class)
  void multiLimit_deniedBySecond_consumesNothingFromFirst(RateLimitAlgorithm first) {
    Limit wide = Limit.of(first, 10, Duration.ofHours(1));
    Limit narrow = Limit.of(RateLimitAlgorithm.GCRA, 2, Duration.ofHours(1));
    RateLimiter both = weft.rateLimiter(wide, narrow);
    RateLimiter wideOnly = weft.rateLimiter(wide);

    List<RateLimitDecision> decisions =
        clock.withinOneWindow(
            Duration.ofHours(1),
            key -> {
              List<RateLimitDecision> d = new ArrayList<>();
              for (int i = 0; i < 5; i++) {
                d.add(both.tryAcquire(key));
              }
              d.add(wideOnly.tryAcquire(key));
              return d;
            });

    assertThat(decisions.subList(0, 5)).extracting(RateLimitDecision::allowed)
        .containsExactly(true, true, false, false, false);
    assertThat(decisions.get(2).limit()).isEqualTo(narrow);
    assertThat(decisions.get(2).retryAfter()).isPositive();
    assertThat(decisions.get(1).limit()).as("tightest when allowed").isEqualTo(narrow);
    assertThat(decisions.get(1).remaining()).isZero();
    // 2 granted by both, then this one: the 3 denials took nothing
    assertThat(decisions.get(5).allowed()).isTrue();
    assertThat(decisions.get(5).remaining()).isEqualTo(10 - 3);
  }

  /**
   * After Redis denies a key, the process denies it again without asking until the retry-after has
   * passed; then Redis decides again and grants. A request for fewer permits is still asked.
   */
  @ParameterizedTest
  @EnumSource(RateLimitAlgorithm.class)
  void deniedKey_isDeniedLocallyUntilRetryAfter_thenRedisGrants(RateLimitAlgorithm algorithm)
      throws InterruptedException {
    RateLimiter limiter = weft.rateLimiter(Limit.of(algorithm, 4, Duration.ofSeconds(1)));
    String key = "flood:" + algorithm + ":" + UUID.randomUUID();
    assertThat(limiter.tryAcquire(key, 4).allowed()).isTrue();
    RateLimitDecision denied = limiter.tryAcquire(key, 4);
    assertThat(denied.allowed()).isFalse();
    long asked = evalshaCalls();
    RateLimitDecision again = denied;
    for (int i = 0; i < 200; i++) {
      again = limiter.tryAcquire(key, 4);
      assertThat(again.allowed()).isFalse();
    }
    assertThat(evalshaCalls() - asked).as("commands sent for 200 denied requests").isZero();
    assertThat(again.retryAfter()).isPositive().isLessThanOrEqualTo(denied.retryAfter());
    assertThat(again.limit()).isEqualTo(denied.limit());
    assertThat(again.decidedAt()).isAfterOrEqualTo(denied.decidedAt());

    RateLimitDecision fewer = limiter.tryAcquire(key, 1); // fewer permits: Redis decides
    assertThat(evalshaCalls() - asked).as("%s after %s", fewer, again).isEqualTo(1);

    long permitted = again.decidedAt().plus(again.retryAfter()).toEpochMilli();
    Await.until(Duration.ofSeconds(10), () -> "Redis's clock past the retry-after",
        () -> clock.millis() > permitted);
    assertThat(limiter.tryAcquire(key, 1).allowed()).as("after the retry-after").isTrue();
  }

  private long evalshaCalls() {
    return CommandStats.calls(redis, "evalsha");
  }


  @Test
  void multiLimit_deniedByBoth_retryAfterIsTheLongerWait() {
    Limit perSecond = Limit.of(RateLimitAlgorithm.FIXED_WINDOW, 1, Duration.ofSeconds(1));
    Limit perHour = Limit.of(RateLimitAlgorithm.SLIDING_WINDOW_LOG, 1, Duration.ofHours(1));
    RateLimiter limiter = weft.rateLimiter(perSecond, perHour);
    String key = "both:" + UUID.randomUUID();
    limiter.tryAcquire(key);

    RateLimitDecision denied = limiter.tryAcquire(key);

    assertThat(denied.allowed()).isFalse();
    assertThat(denied.limit()).isEqualTo(perHour);
    assertThat(denied.retryAfter()).isGreaterThan(Duration.ofMinutes(59));
  }

  @Test
  void acquireSeveralPermits_allOrNothing() {
    Limit limit = Limit.of(RateLimitAlgorithm.TOKEN_BUCKET, 5, Duration.ofHours(1));
    RateLimiter limiter = weft.rateLimiter(limit);
    String key = "many:" + UUID.randomUUID();

    assertThat(limiter.tryAcquire(key, 3).remaining()).isEqualTo(2);
    RateLimitDecision denied = limiter.tryAcquire(key, 3);
    RateLimitDecision two = limiter.tryAcquire(key, 2);

    assertThat(denied.allowed()).isFalse();
    assertThat(denied.remaining()).isEqualTo(2);
    assertThat(two.allowed()).isTrue();
    assertThat(two.remaining()).isZero();
  }

  /**
   * Braces in the user key are escaped ({@code %} → %25, {@code {} → %7B, {@code }} → %7D): the
   * hash tag stays whole, all limits of a request share one slot, and escaped look-alikes are
   * different limiters.
   */
  @Test
  void userKeyWithBraces_escapedInsideHashTag_sameSlotForAllLimits() {
    Limit perSecond = Limit.of(RateLimitAlgorithm.GCRA, 1, Duration.ofSeconds(10));
    Limit perHour = Limit.of(RateLimitAlgorithm.FIXED_WINDOW, 100, Duration.ofHours(1));
    RateLimiter limiter = weft.rateLimiter(perSecond, perHour);
    String id = UUID.randomUUID().toString();
    String key = "a}b{" + id + "}";

    assertThat(limiter.tryAcquire(key).allowed()).isTrue();

    String tag = "weft:rl:{a%7Db%7B" + id + "%7D}";
    List<String> keys = keysMatching(tag + "*");
    assertThat(keys).hasSize(2).contains(tag + ":gcra:1/10000")
        .contains(tag + ":fixed_window:100/3600000");
    assertThat(keys).extracting(SlotHash::getSlot)
        .containsOnly(SlotHash.getSlot("a%7Db%7B" + id + "%7D"));
    assertThat(limiter.tryAcquire(key).allowed()).as("same user key, same limiter").isFalse();
    assertThat(limiter.tryAcquire("a%7Db%7B" + id + "%7D").allowed())
        .as("the escaped spelling is another user key").isTrue();
    assertThat(limiter.tryAcquire("a%257Db%257B" + id + "%257D").allowed())
        .as("so is the doubly escaped one").isTrue();
  }

  @Test
  void emptyKey_rejected() {
    RateLimiter limiter = weft.rateLimiter(Limit.of(RateLimitAlgorithm.GCRA, 1, MINUTE));

    assertThatThrownBy(() -> limiter.tryAcquire(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> limiter.tryAcquire(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void permitsOutsideLimits_rejected() {
    RateLimiter limiter =
        weft.rateLimiter(Limit.of(RateLimitAlgorithm.GCRA, 5, MINUTE),
            Limit.of(RateLimitAlgorithm.FIXED_WINDOW, 3, MINUTE));

    assertThatThrownBy(() -> limiter.tryAcquire("k", 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 1 and 3");
    assertThatThrownBy(() -> limiter.tryAcquire("k", 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void of_noOrDuplicateLimits_rejected() {
    Limit limit = Limit.of(RateLimitAlgorithm.GCRA, 5, MINUTE);

    assertThatThrownBy(() -> weft.rateLimiter())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one limit");
    assertThatThrownBy(() -> weft.rateLimiter(limit, Limit.of(RateLimitAlgorithm.GCRA, 5, MINUTE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("given twice");
  }

  @Test
  void redisUnreachable_throwsWeftUnavailableException() {
    try (Weft down =
        Weft.builder().redisUrl("redis://127.0.0.1:1").commandTimeout(Duration.ofMillis(200)).build()) {
      RateLimiter limiter = down.rateLimiter(Limit.of(RateLimitAlgorithm.GCRA, 5, MINUTE));

      assertThatThrownBy(() -> limiter.tryAcquire("k")).isInstanceOf(WeftUnavailableException.class);
    }
  }

  private List<String> keysMatching(String pattern) {
    List<String> keys = new ArrayList<>();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
      keys.addAll(page.getKeys());
      cursor = page;
    } while (!cursor.isFinished());
    return keys;
  }
}
