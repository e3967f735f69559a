package dev.weft.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.annotation.Cached;
import dev.weft.annotation.CachedBulk;
import dev.weft.annotation.DistributedLock;
import dev.weft.annotation.Invalidate;
import dev.weft.annotation.RateLimited;
import dev.weft.exception.LockNotAcquiredException;
import dev.weft.exception.RateLimitExceededException;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * An application whose bean class nobody wove: the starter's proxy gives its Weft annotations
 * their behaviour, read back from Redis; a call from inside the bean is not intercepted, the
 * documented limit of proxies.
 */
@WeftRedis
class WeftProxyTest {

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(Catalog.class)
  static class App {}

  /** A bean compiled by javac alone. */
  static class Catalog {
    final AtomicInteger loads = new AtomicInteger();
    final AtomicInteger quotes = new AtomicInteger();
    final List<List<String>> bulkLoads = new CopyOnWriteArrayList<>();

    @Cached(key = "proxy:product:{id}", ttl = "10m")
    public String product(String id) {
      loads.incrementAndGet();
      return "product " + id;
    }

    /** Calls {@link #product} on itself, not through the proxy. */
    public String productFromInside(String id) {
      return product(id);
    }

    @Invalidate(keys = "proxy:product:{id}")
    public void reprice(String id) {}

    @CachedBulk(key = "proxy:bulk:{ids}", ttl = "10m")
    public Map<String, String> products(List<String> ids) {
      bulkLoads.add(List.copyOf(ids));
      Map<String, String> found = new LinkedHashMap<>();
      ids.forEach(id -> found.put(id, "product " + id));
      return found;
    }

    @RateLimited(key = "proxy:quote:{user}", permits = 2, window = "1m")
    public String quote(String user) {
      quotes.incrementAndGet();
      return "quote for " + user;
    }

    @DistributedLock(key = "proxy:job:{id}")
    public String holding(String id, CountDownLatch entered, CountDownLatch leave)
        throws InterruptedException {
      entered.countDown();
      if (!leave.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never let go");
      }
      return "done " + id;
    }
  }

  private static ConfigurableApplicationContext context;
  private static Catalog catalog;
  /** The bean behind the proxy, whose fields the proxy's calls change. */
  private static Catalog target;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> connection;
  private static RedisCommands<String, String> redis;

  @BeforeAll
  static void start(RedisServer server) throws Exception {
    context = run(server);
    catalog = context.getBean(Catalog.class);
    target = (Catalog) ((Advised) catalog).getTargetSource().getTarget();
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
  }

  @AfterAll
  static void stop() {
    connection.close();
    client.shutdown();
    context.close();
  }

  private static ConfigurableApplicationContext run(RedisServer server, String... more) {
    return new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .properties(
            "spring.data.redis.host=" + server.host(), "spring.data.redis.port=" + server.port())
        .properties(more)
        .run();
  }

  @Test
  void unwovenBean_isAClassBasedProxy() {
    assertThat(AopUtils.isCglibProxy(catalog)).isTrue();
  }

  @Test
  void cached_secondCall_isAHit_theBodyRunsOnce_andTheEntryIsInRedis() {
    int before = target.loads.get();

    assertThat(catalog.product("kb")).isEqualTo("product kb");
    assertThat(catalog.product("kb")).isEqualTo("product kb");

    assertThat(target.loads.get() - before).isEqualTo(1);
    assertThat(redis.get("proxy:product:kb")).isEqualTo("\"product kb\"");
  }

  @Test
  void invalidate_removesTheEntry_theNextCallLoadsAgain() {
    catalog.product("ms");
    assertThat(redis.exists("proxy:product:ms")).isEqualTo(1);
    int before = target.loads.get();

    catalog.reprice("ms");

    assertThat(redis.exists("proxy:product:ms")).isZero();
    catalog.product("ms");
    assertThat(target.loads.get() - before).isEqualTo(1);
  }

  @Test
  void cachedBulk_bodyGetsOnlyTheIdsThatMissed() {
    catalog.products(List.of("a", "b"));

    Map<String, String> found = catalog.products(List.of("a", "b", "c"));

    assertThat(found).containsOnlyKeys("a", "b", "c");
    assertThat(target.bulkLoads).containsExactly(List.of("a", "b"), List.of("c"));
  }

  @Test
  void rateLimited_callBeyondThePermits_isRefused_andTheBodyDoesNotRun() {
    assertThat(catalog.quote("ann")).isEqualTo("quote for ann");
    assertThat(catalog.quote("ann")).isEqualTo("quote for ann");

    assertThatThrownBy(() -> catalog.quote("ann"))
        .isInstanceOf(RateLimitExceededException.class)
        .hasMessageContaining(Catalog.class.getName() + ".quote(String)");
    assertThat(target.quotes).hasValue(2);
  }

  @Test
  void distributedLock_heldByOneThread_refusesAnother_untilReleased() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch leave = new CountDownLatch(1);
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
      try {
        return catalog.holding("nightly", entered, leave);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(entered.await(10, TimeUnit.SECONDS)).as("the first call holds the lock").isTrue();

    assertThatThrownBy(() -> catalog.holding("nightly", new CountDownLatch(1), new CountDownLatch(0)))
        .isInstanceOf(LockNotAcquiredException.class);

    leave.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("done nightly");
    assertThat(catalog.holding("nightly", new CountDownLatch(1), new CountDownLatch(0)))
        .as("released when the first call returned")
        .isEqualTo("done nightly");
  }

  @Test
  void selfInvocation_isNotIntercepted_theDocumentedLimitOfProxies() {
    int before = target.loads.get();

    catalog.productFromInside("mn");
    catalog.productFromInside("mn");

    assertThat(target.loads.get() - before).as("no cache in between").isEqualTo(2);
    assertThat(redis.exists("proxy:product:mn")).isZero();
  }

  @Test
  void proxyModeOff_leavesTheBeanUnproxied(RedisServer server) {
    try (ConfigurableApplicationContext off = run(server, "weft.proxy.enabled=false")) {
      Catalog plain = off.getBean(Catalog.class);

      assertThat(AopUtils.isAopProxy(plain)).isFalse();
      assertThat(off.getBeansOfType(WeftAdvisor.class)).isEmpty();
    }
  }
}
