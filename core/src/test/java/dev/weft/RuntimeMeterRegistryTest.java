package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.annotation.Cached;
import dev.weft.annotation.Counted;
import dev.weft.cache.CacheOptions;
import dev.weft.cache.WeftCache;
import dev.weft.lock.LockLease;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import dev.weft.weaving.MethodPlan;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A runtime built with {@link Weft.Builder#meterRegistry} registers its meters there, and not in
 * Micrometer's global registry: its gateway's, its caches', its locks', and those of woven
 * methods for the calls that use it.
 */
@WeftRedis
class RuntimeMeterRegistryTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Fixture fixture = new Fixture();
  private Weft weft;
  private Weft previous;

  /** A value type of this test alone, so that its cache's name is too. */
  record Price(int cents) {}

  /** Methods as a user annotates them; run through {@link #call}. */
  static class Fixture {
    final AtomicInteger runs = new AtomicInteger();

    @Cached(key = "meters:price:{id}", ttl = "1m")
    public int price(String id) {
      return runs.incrementAndGet();
    }

    @Counted(key = "meters:views")
    public String view() {
      runs.incrementAndGet();
      return "viewed";
    }
  }

  @BeforeEach
  void start(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).meterRegistry(registry).build();
  }

  @AfterEach
  void stop() {
    if (previous != null) {
      Weft.install(previous);
    }
    weft.close();
  }

  @Test
  void meterRegistry_getsTheRuntimesCacheRedisAndLockMeters_theGlobalRegistryNone() {
    WeftCache<Price> prices = weft.cache(Price.class, CacheOptions.defaults().ttl("1m"));
    prices.get("meters:p1", () -> new Price(100));
    prices.get("meters:p1", () -> new Price(200));
    Optional<LockLease> lease = weft.lock("meters:lock").tryAcquire();
    lease.ifPresent(LockLease::close);

    String cache = "WeftCache<" + Price.class.getTypeName() + ">";
    assertThat(count(registry.find("weft.cache.gets").tags("cache", cache, "result", "hit")))
        .isEqualTo(1.0);
    assertThat(count(registry.find("weft.cache.gets").tags("cache", cache, "result", "miss")))
        .isEqualTo(1.0);
    assertThat(count(registry.find("weft.lock.acquisitions").tags("outcome", "acquired")))
        .isEqualTo(1.0);
    assertThat(registry.find("weft.redis.breaker.state").gauge()).isNotNull();
    assertThat(registry.find("weft.redis.errors").counters()).isNotEmpty();

    assertThat(Metrics.globalRegistry.find("weft.cache.gets").tags("cache", cache).counters())
        .isEmpty();
    String server = registry.get("weft.redis.breaker.state").gauge().getId().getTag("server");
    assertThat(Metrics.globalRegistry.find("weft.redis.breaker.state").tags("server", server)
        .gauges()).isEmpty();

    weft.close();
    assertThat(registry.find("weft.redis.breaker.state").gauge())
        .as("the gateway's gauge is removed when the runtime closes")
        .isNull();
  }

  @Test
  void wovenCachedMethod_metersInTheRegistryOfTheRuntimeEachCallUses(RedisServer server)
      throws Throwable {
    MethodPlan plan = MethodPlan.build(method("price"));
    previous = Weft.install(weft);
    call(plan, "price", "a");
    call(plan, "price", "a");

    Search hits = registry.find("weft.cache.gets").tag("result", "hit");
    assertThat(hits.counters()).hasSize(1);
    String cache = hits.counter().getId().getTag("cache");
    assertThat(cache).contains("price");
    assertThat(hits.counter().count()).isEqualTo(1.0);
    assertThat(Metrics.globalRegistry.find("weft.cache.gets").tags("cache", cache).counters())
        .isEmpty();

    SimpleMeterRegistry global = new SimpleMeterRegistry();
    Metrics.addRegistry(global);
    try (Weft plain = Weft.builder().redisUrl(server.url()).build()) {
      Weft.install(plain);
      call(plan, "price", "a");

      assertThat(count(global.find("weft.cache.gets").tags("cache", cache, "result", "hit")))
          .as("a call on a runtime without a registry meters in the global one")
          .isEqualTo(1.0);
      assertThat(hits.counter().count()).isEqualTo(1.0);
    } finally {
      Weft.install(weft);
      Metrics.removeRegistry(global);
    }
  }

  @Test
  void wovenCountedMethod_reportsLostIncrementsInTheRuntimesRegistry() throws Throwable {
    SimpleMeterRegistry deadMeters = new SimpleMeterRegistry();
    MethodPlan plan = MethodPlan.build(method("view"));
    try (Weft dead =
        Weft.builder().redisUrl("redis://127.0.0.1:1").commandTimeout("200ms")
            .meterRegistry(deadMeters).build()) {
      previous = Weft.install(dead);

      assertThat(call(plan, "view")).isEqualTo("viewed");

      Await.until(Duration.ofSeconds(10), () -> "the lost increment is metered",
          () -> count(deadMeters.find("weft.counted.errors").tags("counter", "calls")) == 1.0);
      String method = deadMeters.get("weft.counted.errors").counter().getId().getTag("method");
      assertThat(Metrics.globalRegistry.find("weft.counted.errors").tags("method", method)
          .counters()).isEmpty();
    } finally {
      Weft.install(weft);
    }
  }

  @Test
  void breakerOpenWait_letsAProbeThroughOnceItsWaitIsOver() {
    SimpleMeterRegistry deadMeters = new SimpleMeterRegistry();
    try (Weft dead =
        Weft.builder().redisUrl("redis://127.0.0.1:1").commandTimeout("200ms")
            .breakerOpenWait(Duration.ofMillis(300)).meterRegistry(deadMeters).build()) {
      Await.until(Duration.ofSeconds(10), () -> "the breaker opens",
          () -> dead.health().circuit() == WeftHealth.Circuit.OPEN);
      double failedWhenOpen = errors(deadMeters);

      // with the default 1 s wait no call would reach Redis before this bound
      Await.until(Duration.ofMillis(900), () -> "a probe reaches (the absent) Redis",
          () -> {
            dead.health();
            return errors(deadMeters) > failedWhenOpen;
          });
    }
  }

  private static double errors(MeterRegistry meters) {
    return meters.find("weft.redis.errors").counters().stream().mapToDouble(Counter::count).sum();
  }

  private static double count(Search search) {
    Counter counter = search.counter();
    return counter == null ? 0 : counter.count();
  }

  private static Method method(String name) {
    for (Method m : Fixture.class.getDeclaredMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(name);
  }

  private Object call(MethodPlan plan, String name, Object... args) throws Throwable {
    Method m = method(name);
    return plan.around(fixture, args, a -> {
      try {
        return m.invoke(fixture, a);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }
}
