package dev.weft.weaving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.annotation.Cached;
import dev.weft.annotation.Counted.Outcome;
import dev.weft.annotation.Counted;
import dev.weft.annotation.RateLimited;
import dev.weft.counter.Counter;
import dev.weft.counter.CounterOptions;
import dev.weft.counter.Granularity;
import dev.weft.exception.RateLimitExceededException;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.internal.counter.CountedStep;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code @Counted} step of a {@link MethodPlan}, run through {@link MethodPlan#around} as the
 * aspect runs it, against a real Redis; counts are read back with {@link Counter}, as a user
 * reads them. The woven forms (CTW, LTW, the agent) are covered by the behaviour suite's {@code
 * CountedBehaviourTest}.
 */
@WeftRedis
class CountedPlanTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private Weft weft;
  private Weft previous;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;
  private final Fixture fixture = new Fixture();
  private final Map<String, MethodPlan> plans = new HashMap<>();

  @BeforeEach
  void start(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
    previous = Weft.install(weft);
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
    // Opened here, so that the increments of a test go out on the caller's thread at once.
    calls().total("warm-up", Instant.now(), Instant.now().plusSeconds(1));
  }

  @AfterEach
  void stop() {
    if (previous != null) {
      Weft.install(previous);
    }
    weft.close();
    connection.close();
    client.shutdown();
  }

  /** Methods as a user annotates them; the body runs through {@link #call}. */
  static class Fixture {
    final AtomicInteger runs = new AtomicInteger();
    volatile CompletableFuture<String> pending;

    @Counted(key = "views:{page}")
    @Counted(key = "views")
    public String view(String page) {
      runs.incrementAndGet();
      return "page " + page;
    }

    @Counted(key = "checkout:all")
    @Counted(key = "checkout:ok", outcome = Outcome.SUCCESS)
    @Counted(key = "checkout:failed", outcome = Outcome.FAILURE)
    public String checkout(boolean fail) {
      runs.incrementAndGet();
      if (fail) {
        throw new IllegalStateException("payment declined");
      }
      return "paid";
    }

    @Counted(key = "later:ok", outcome = Outcome.SUCCESS)
    @Counted(key = "later:failed", outcome = Outcome.FAILURE)
    public CompletableFuture<String> later() {
      runs.incrementAndGet();
      return pending;
    }

    @Cached(key = "near:{id}", ttl = "10m", near = true)
    @Counted(key = "reads:{id}")
    public String nearRead(String id) {
      runs.incrementAndGet();
      return "value " + id;
    }

    @RateLimited(key = "limited", permits = 1, window = "1m")
    @Counted(key = "quote:calls")
    @Counted(key = "quote:refused", outcome = Outcome.FAILURE)
    public String quote() {
      runs.incrementAndGet();
      return "quote";
    }

    @Counted(key = "hourly:{order.region}", granularity = Counted.Granularity.HOUR,
        retention = "2d", name = "orders")
    public void order(Order order) {
      runs.incrementAndGet();
    }

    @Counted(key = "views:{pgae}")
    public String misspelled(String page) {
      runs.incrementAndGet();
      return page;
    }

    @Counted(key = "")
    public void emptyKey() {
      runs.incrementAndGet();
    }

    @Counted(key = "k", retention = "500ms")
    public void subSecond() {
      runs.incrementAndGet();
    }

    @Counted(key = "k", retention = "soon")
    public void notADuration() {
      runs.incrementAndGet();
    }

    @Counted(key = "k", name = "page views")
    public void badName() {
      runs.incrementAndGet();
    }

    @Counted(key = "k:{page}")
    @Counted(key = "k:{page}", outcome = Outcome.FAILURE)
    public void twice(String page) {
      runs.incrementAndGet();
    }
  }

  /** A parameter with a property below it. */
  public record Order(String region, long cents) {}

  private Object call(String name, Object... args) throws Throwable {
    Method method =
        Arrays.stream(Fixture.class.getDeclaredMethods())
            .filter(m -> m.getName().equals(name))
            .findFirst()
            .orElseThrow();
    MethodPlan plan = plans.computeIfAbsent(name, n -> MethodPlan.build(method));
    return plan.around(
        fixture,
        args,
        a -> {
          try {
            return method.invoke(fixture, a);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private Counter calls() {
    return weft.counter(Counted.DEFAULT_NAME,
        CounterOptions.defaults().granularity(Granularity.MINUTE));
  }

  private long count(String key) {
    return count(calls(), key);
  }

  private static long count(Counter counter, String key) {
    Instant now = Instant.now();
    return counter.total(key, now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)));
  }

  private void awaitCount(String key, long expected) {
    Await.until(WAIT, () -> key + " counted " + expected + " times, is " + count(key),
        () -> count(key) == expected);
  }

  @Test
  void everyCall_countedUnderEachKey() throws Throwable {
    assertThat(call("view", "home")).isEqualTo("page home");
    call("view", "home");
    call("view", "home");
    call("view", "about");

    awaitCount("views", 4);
    assertThat(count("views:home")).isEqualTo(3);
    assertThat(count("views:about")).isEqualTo(1);
    assertThat(fixture.runs).hasValue(4);
  }

  @Test
  void outcome_successesAndFailuresCountApart_failureReachesTheCallerUnchanged() throws Throwable {
    call("checkout", false);
    call("checkout", false);
    assertThatThrownBy(() -> call("checkout", true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("payment declined");

    awaitCount("checkout:all", 3);
    awaitCount("checkout:ok", 2);
    awaitCount("checkout:failed", 1);
  }

  @Test
  void future_countedWhenItCompletes_byHowItCompletes() throws Throwable {
    fixture.pending = new CompletableFuture<>();
    CompletableFuture<?> first = (CompletableFuture<?>) call("later");
    fixture.pending = new CompletableFuture<>();
    CompletableFuture<?> second = (CompletableFuture<?>) call("later");

    // An increment sent by the calls would be on the connection ahead of this read.
    assertThat(count("later:ok") + count("later:failed")).as("nothing counted yet").isZero();

    ((CompletableFuture<String>) first).complete("done");
    ((CompletableFuture<String>) second).completeExceptionally(new IllegalStateException("no"));

    awaitCount("later:ok", 1);
    awaitCount("later:failed", 1);
  }

  @Test
  void nearCachedMethod_everyHitCounted() throws Throwable {
    for (int i = 0; i < 5; i++) {
      assertThat(call("nearRead", "a")).isEqualTo("value a");
    }

    awaitCount("reads:a", 5);
    assertThat(fixture.runs).as("loaded once, the other calls were hits").hasValue(1);
  }

  @Test
  void rateLimitedCall_refusedCallsCountAsFailures() throws Throwable {
    call("quote");
    assertThatThrownBy(() -> call("quote")).isInstanceOf(RateLimitExceededException.class);
    assertThatThrownBy(() -> call("quote")).isInstanceOf(RateLimitExceededException.class);

    awaitCount("quote:calls", 3);
    awaitCount("quote:refused", 2);
    assertThat(fixture.runs).hasValue(1);
  }

  @Test
  void nameGranularityAndRetention_areTheAnnotations() throws Throwable {
    call("order", new Order("eu", 100));

    Counter orders =
        weft.counter("orders",
            CounterOptions.defaults().granularity(Granularity.HOUR).retention(Duration.ofDays(2)));
    Await.until(WAIT, () -> "the order counted", () -> count(orders, "hourly:eu") == 1);
    List<String> keys = redis.keys("weft:ctr:orders:{hourly:eu}:h:*");
    assertThat(keys).hasSize(1);
    long bucketStart = Long.parseLong(keys.get(0).substring(keys.get(0).lastIndexOf(':') + 1));
    long expiresAt = bucketStart + Duration.ofHours(1).plusDays(2).toSeconds();
    long now = Long.parseLong(redis.time().get(0));
    assertThat(redis.ttl(keys.get(0))).isBetween(expiresAt - now - 2, expiresAt - now);
  }

  @Test
  void redisPaused_callDoesNotWaitForIt_countLandsWhenItAnswers(RedisServer server)
      throws Throwable {
    Weft patient = Weft.builder().redisUrl(server.url()).commandTimeout("10s").build();
    Weft.install(patient);
    try {
      Counter counter = patient.counter(Counted.DEFAULT_NAME,
          CounterOptions.defaults().granularity(Granularity.MINUTE));
      count(counter, "views");  // connected before the pause
      redis.clientPause(3_000);

      long start = System.nanoTime();
      assertThat(call("view", "home")).isEqualTo("page home");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("the call went on while Redis did not answer for 3 s")
          .isLessThan(Duration.ofMillis(1_500));

      Await.until(WAIT, () -> "counted once Redis answers", () -> count(counter, "views") == 1);
    } finally {
      Weft.install(weft);
      patient.close();
    }
  }

  @Test
  void redisUnreachable_callsSucceed_lostIncrementsCountedInMetric() throws Throwable {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    Weft dead = Weft.builder().redisUrl("redis://127.0.0.1:1").commandTimeout("200ms").build();
    Weft.install(dead);
    try {
      for (int i = 0; i < 20; i++) {
        assertThat(call("view", "home")).isEqualTo("page home");
      }
      assertThat(fixture.runs).hasValue(20);

      String method = Fixture.class.getName() + ".view(String)";
      Await.until(WAIT, () -> "40 increments (2 keys x 20 calls) reported lost",
          () -> registry.find("weft.counted.errors").tags("method", method, "counter", "calls")
              .counter() != null
              && registry.get("weft.counted.errors").tags("method", method).counter().count()
                  == 40.0);
    } finally {
      Weft.install(weft);
      dead.close();
      Metrics.removeRegistry(registry);
    }
    assertThat(count("views")).as("nothing reached the live Redis").isZero();
  }

  static Stream<Arguments> misconfigured() {
    String fixture = Fixture.class.getName() + ".";
    return Stream.of(
        Arguments.of("misspelled", "@Counted(key = \"views:{pgae}\") on " + fixture
            + "misspelled(String): no parameter named 'pgae'; available: page"),
        Arguments.of("emptyKey", "@Counted(key) on " + fixture
            + "emptyKey(): is empty; give what is counted"),
        Arguments.of("subSecond", "@Counted(retention = \"500ms\") on " + fixture
            + "subSecond(): \"500ms\" is not a whole number of seconds of at least 1 s, which is"
            + " how long Redis keeps a bucket; use seconds or longer units, as in \"1d\""),
        Arguments.of("notADuration", "@Counted(retention = \"soon\") on " + fixture
            + "notADuration(): \"soon\" is not a duration; use a whole number with a unit"),
        Arguments.of("badName", "@Counted(name = \"page views\") on " + fixture
            + "badName(): a counter's name must be 1 to 64 letters, digits, '.', '_' or '-',"
            + " such as \"page-views\", was \"page views\""),
        Arguments.of("twice", "@Counted(key = \"k:{page}\") on " + fixture
            + "twice(String): counts into the same series as an earlier @Counted on this method"
            + " (name \"calls\", MINUTE), so a call would count twice; give it another key or"
            + " name, or remove one"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("misconfigured")
  void misconfigured_failsAtFirstCall_namingMethodAttributeAndFix_bodyNotRun(
      String method, String message) {
    Object[] args = method.equals("misspelled") || method.equals("twice")
        ? new Object[] {"home"} : new Object[0];

    assertThatThrownBy(() -> call(method, args))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining(message);
    assertThatThrownBy(() -> call(method, args))
        .as("and at every later call")
        .isInstanceOf(WeftConfigurationException.class);
    assertThat(fixture.runs).hasValue(0);
  }

  @Test
  void everyGranularityOfTheAnnotation_isOneOfCore() {
    for (Counted.Granularity g : Counted.Granularity.values()) {
      assertThat(CountedStep.granularity(g).name()).isEqualTo(g.name());
    }
    assertThat(Counted.Granularity.values()).hasSameSizeAs(Granularity.values());
  }
}
