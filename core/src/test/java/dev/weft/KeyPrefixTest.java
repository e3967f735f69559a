package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.annotation.RateLimitAlgorithm;
import dev.weft.bloom.BloomOptions;
import dev.weft.cache.CacheOptions;
import dev.weft.cache.WeftCache;
import dev.weft.counter.Counter;
import dev.weft.counter.CounterOptions;
import dev.weft.counter.Granularity;
import dev.weft.counter.UniqueCounter;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.redis.KeySpace;
import dev.weft.leaderboard.Leaderboard;
import dev.weft.leaderboard.LeaderboardOptions;
import dev.weft.lock.LockLease;
import dev.weft.lock.LockOptions;
import dev.weft.outage.LogCapture;
import dev.weft.queue.Delivery;
import dev.weft.queue.QueueOptions;
import dev.weft.queue.ReliableQueue;
import dev.weft.ratelimit.Limit;
import dev.weft.ratelimit.RateLimiter;
import dev.weft.session.SessionOptions;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import dev.weft.writebehind.WriteBehind;
import dev.weft.writebehind.WriteBehindOptions;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several applications on one Redis, each with its own key prefix ({@code orders}, {@code billing})
 * and one without: none reads, removes or hears what another wrote.
 */
@WeftRedis
class KeyPrefixTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final List<AutoCloseable> opened = new ArrayList<>();
  private RedisServer server;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;

  @BeforeEach
  void connect(RedisServer server) {
    this.server = server;
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
  }

  @AfterEach
  void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      long t = System.nanoTime();
      opened.get(i).close();
      }
    connection.close();
    client.shutdown();
  }

  private Weft runtime(String prefix) {
    Weft.Builder builder = Weft.builder().redisUrl(server.url());
    if (prefix != null) {
      builder.keyPrefix(prefix);
    }
    Weft weft = builder.build();
    opened.add(weft);
    return weft;
  }

  private static void awaitFeedLive(Weft weft) {
    Await.until(WAIT, () -> "the change feed is subscribed",
        () -> WeftAccess.cache(weft).feed().live());
  }

  @Test
  void cached_sameKeyInTwoPrefixesAndNone_threeEntries() {
    Weft orders = runtime("orders");
    Weft billing = runtime("billing");
    Weft plain = runtime(null);

    assertThat(orders.cached("user:42", MINUTE, String.class, () -> "orders")).isEqualTo("orders");
    assertThat(billing.cached("user:42", MINUTE, String.class, () -> "billing"))
        .isEqualTo("billing");
    assertThat(plain.cached("user:42", MINUTE, String.class, () -> "plain")).isEqualTo("plain");

    assertThat(orders.cached("user:42", MINUTE, String.class, () -> "reloaded"))
        .isEqualTo("orders");
    assertThat(redis.get("orders:user:42")).isEqualTo("\"orders\"");
    assertThat(redis.get("billing:user:42")).isEqualTo("\"billing\"");
    assertThat(redis.get("user:42")).isEqualTo("\"plain\"");
    assertThat(orders.keyPrefix()).isEqualTo("orders:");
    assertThat(plain.keyPrefix()).isEmpty();
  }

  @Test
  void invalidate_inOnePrefix_leavesTheOthersEntriesAndTheirNearCopies() {
    Weft orders = runtime("orders");
    Weft billing = runtime("billing");
    Weft plain = runtime(null);
    WeftCache<String> ordersCache = orders.cache(String.class, CacheOptions.defaults().ttl("1m"));
    WeftCache<String> billingNear = billing.cache(String.class,
        CacheOptions.defaults().ttl("1m").near(true));
    WeftCache<String> plainCache = plain.cache(String.class, CacheOptions.defaults().ttl("1m"));
    ordersCache.put("item:1", "orders", "stock");
    billingNear.put("item:1", "billing", "stock");
    billingNear.put("marker", "before");
    plainCache.put("item:1", "plain", "stock");
    awaitFeedLive(billing);
    assertThat(billingNear.get("item:1", () -> "loaded")).isEqualTo("billing");
    assertThat(billingNear.get("marker", () -> "loaded")).isEqualTo("before");
    // not announced: only a near copy still answers "billing" now
    redis.set("billing:item:1", "\"changed in Redis\"");
    assertThat(billingNear.get("item:1", () -> "loaded")).as("kept near").isEqualTo("billing");

    assertThat(orders.invalidateTag("stock")).isOne();
    ordersCache.invalidate("item:1");
    billingNear.invalidate("marker");
    // billing's own change, announced after orders' ones, has arrived...
    Await.until(WAIT, () -> "billing hears its own invalidation",
        () -> "reloaded".equals(billingNear.get("marker", () -> "reloaded")));

    // ...and orders' did not reach billing's near cache
    assertThat(billingNear.get("item:1", () -> "loaded")).isEqualTo("billing");
    assertThat(redis.exists("orders:item:1")).isZero();
    assertThat(redis.get("billing:item:1")).isEqualTo("\"changed in Redis\"");
    assertThat(redis.get("item:1")).isEqualTo("\"plain\"");
    assertThat(redis.zcard("billing:weft:tag:stock")).isEqualTo(1);
    assertThat(redis.zcard("weft:tag:stock")).isEqualTo(1);
  }

  @Test
  void invalidateNamespace_matchesOnlyUnderItsPrefix_neverWeftsOwnKeys() {
    Weft orders = runtime("orders");
    Weft plain = runtime(null);
    orders.cached("user:1", MINUTE, String.class, () -> "o1");
    orders.cached("user:2", MINUTE, String.class, () -> "o2");
    plain.cached("user:1", MINUTE, String.class, () -> "p1");
    plain.cached("order:user:9", MINUTE, String.class, () -> "p9");
    try (LockLease held = plain.lock("w").tryAcquire().orElseThrow()) {
      assertThat(orders.invalidateNamespace("user:")).isEqualTo(2);
      assertThat(plain.invalidateNamespace("w")).as("Weft's own keys are not a namespace").isZero();

      assertThat(redis.keys("orders:*")).isEmpty();
      assertThat(redis.get("user:1")).isEqualTo("\"p1\"");
      assertThat(redis.get("order:user:9")).isEqualTo("\"p9\"");
      assertThat(held.isHeld()).isTrue();
      assertThat(redis.exists("weft:lock:{w}")).isOne();
    }
  }

  @Test
  void locksRateLimitsQueues_ofOneNameInTwoPrefixes_areIndependent() {
    Weft orders = runtime("orders");
    Weft billing = runtime("billing");
    Weft plain = runtime(null);

    try (LockLease a = orders.lock("job").tryAcquire().orElseThrow();
        LockLease b = billing.lock("job").tryAcquire().orElseThrow();
        LockLease c = plain.lock("job").tryAcquire().orElseThrow()) {
      assertThat(CompletableFuture.supplyAsync(() -> orders.lock("job").tryAcquire().isPresent())
          .join()).as("held within orders, for another thread").isFalse();
      assertThat(redis.exists("orders:weft:lock:{job}", "billing:weft:lock:{job}",
          "weft:lock:{job}")).isEqualTo(3);
    }

    Limit once = Limit.of(RateLimitAlgorithm.GCRA, 1, MINUTE);
    RateLimiter ordersLimiter = orders.rateLimiter(once);
    assertThat(ordersLimiter.tryAcquire("ip").allowed()).isTrue();
    assertThat(ordersLimiter.tryAcquire("ip").allowed()).isFalse();
    assertThat(billing.rateLimiter(once).tryAcquire("ip").allowed()).isTrue();
    assertThat(plain.rateLimiter(once).tryAcquire("ip").allowed()).isTrue();

    QueueOptions queueOptions = QueueOptions.defaults().visibilityTimeout(MINUTE);
    ReliableQueue<String> ordersJobs = orders.queue("jobs", String.class, queueOptions);
    ReliableQueue<String> billingJobs = billing.queue("jobs", String.class, queueOptions);
    ordersJobs.offer("for orders");
    assertThat(billingJobs.poll()).isEmpty();
    assertThat(ordersJobs.poll()).map(Delivery::payload).contains("for orders");
  }

  @Test
  void everyPattern_ofAPrefixedRuntime_writesOnlyUnderItsPrefix() throws Exception {
    Weft weft = runtime("orders");
    awaitFeedLive(weft);

    WeftCache<String> cache = weft.cache(String.class, CacheOptions.defaults().ttl("1m"));
    cache.put("product:1", "kb", "catalog");
    assertThat(cache.get("product:2", () -> "mouse")).isEqualTo("mouse");
    try (LockLease lease = weft.lock("invoice:7").tryAcquire().orElseThrow()) {
      assertThat(lease.fencingToken()).isPositive();
    }
    weft.rateLimiter(Limit.of(RateLimitAlgorithm.SLIDING_WINDOW_LOG, 5, MINUTE))
        .tryAcquire("ip:1");
    weft.counter("views",
        CounterOptions.defaults().granularity(Granularity.MINUTE)).increment("home");
    weft.uniqueCounter("visitors", CounterOptions.defaults().granularity(Granularity.MINUTE))
        .add("home", "alice");
    weft.sessions("web", SessionOptions.defaults().idleTimeout(MINUTE)).create("user-1");
    weft.leaderboard("scores",
        LeaderboardOptions.defaults().expireAfter(MINUTE).keepTop(0)).set("alice", 3);
    weft.bloomFilter("emails",
        BloomOptions.defaults().expectedItems(100).falsePositiveRate(0.01)).add("a@example.com");
    ReliableQueue<String> queue =
        weft.queue("jobs", String.class, QueueOptions.defaults().visibilityTimeout(MINUTE));
    queue.offer("one");
    queue.offer("two");
    assertThat(queue.poll()).isPresent();
    Map<String, String> persisted = new ConcurrentHashMap<>();
    WriteBehind<String> writes = weft.writeBehind("orders", String.class,
        persisted::put, WriteBehindOptions.defaults().ttl("1m"));
    opened.add(writes);
    writes.write("order:{orders}:1", "first");
    Await.until(WAIT, () -> "the write is persisted",
        () -> persisted.containsKey("order:{orders}:1"));
    assertThat(persisted).containsEntry("order:{orders}:1", "first");
    assertThat(cache.get("order:{orders}:1", () -> "loaded")).isEqualTo("first");
    writes.write("order:{orders}:2", "second");

    List<String> keys = redis.keys("*");
    assertThat(keys).isNotEmpty().allMatch(k -> k.startsWith("orders:"), "starts with orders:");
    assertThat(keys).contains(
        "orders:product:1", "orders:product:2", "orders:weft:tag:catalog",
        "orders:weft:lock:{invoice:7}:fence", "orders:weft:q:{jobs}:ready",
        "orders:weft:q:{jobs}:leases", "orders:weft:wb:{orders}",
        "orders:order:{orders}:2");
    assertThat(keys).anyMatch(k -> k.startsWith("orders:weft:rl:{ip:1}:"))
        .anyMatch(k -> k.startsWith("orders:weft:ctr:views:{home}:"))
        .anyMatch(k -> k.startsWith("orders:weft:uc:visitors:{home}:"))
        .anyMatch(k -> k.startsWith("orders:weft:session:web:{"))
        .anyMatch(k -> k.startsWith("orders:weft:lb:{scores}"))
        .anyMatch(k -> k.startsWith("orders:weft:bloom:{emails}:"));
    assertThat(redis.pubsubChannels("*")).contains("orders:weft:changes")
        .doesNotContain("weft:changes");
  }

  @Test
  void loadLock_ofAPrefixedRuntime_isUnderItsPrefix() {
    Weft weft = runtime("orders");
    List<String> duringLoad = new ArrayList<>();
    weft.cached("slow:1", MINUTE, String.class, () -> {
      duringLoad.addAll(redis.keys("*"));
      return "v";
    });
    // the load lock, and the load's lease marker at the entry's own key
    assertThat(duringLoad).containsExactlyInAnyOrder("orders:weft:load:slow:1", "orders:slow:1");
  }

  @Test
  void redlock_ofAPrefixedRuntime_locksUnderItsPrefixOnTheMasters() {
    Weft weft = Weft.builder().redisUrl(server.url()).redlock(server.url()).keyPrefix("orders")
        .build();
    opened.add(weft);
    try (LockLease lease =
        weft.lock("report", LockOptions.defaults().redlock(true)).tryAcquire().orElseThrow()) {
      assertThat(lease.isHeld()).isTrue();
      assertThat(redis.keys("*")).contains("orders:weft:lock:{report}")
          .allMatch(k -> k.startsWith("orders:"));
    }
  }

  @Test
  void cacheKey_namingWeftsOwnKeys_isRefused_andTheLimitKeepsItsState() {
    Weft weft = runtime(null);
    RateLimiter limiter = weft.rateLimiter(Limit.of(RateLimitAlgorithm.GCRA, 1, MINUTE));
    assertThat(limiter.tryAcquire("ip").allowed()).isTrue();
    String limitKey = redis.keys("weft:rl:*").get(0);

    assertThatThrownBy(() -> weft.cached(limitKey, MINUTE, String.class, () -> "json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("starts with \"weft:\"");
    assertThatThrownBy(() -> weft.cache(String.class,
        CacheOptions.defaults().ttl("1m")).put(limitKey, "x"))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(limiter.tryAcquire("ip").allowed()).as("still limited").isFalse();
  }

  @Test
  void aclUserWithoutThePrefixesKeysOrChannel_oneWarningNamesBoth() {
    redis.aclSetuser("orders-app", AclSetuserArgs.Builder.on().addPassword("pw-7")
        .keyPattern("orders:*").allCommands().resetChannels());
    try (LogCapture logs = LogCapture.start()) {
      Weft weft = Weft.builder()
          .redisUrl("redis://orders-app:pw-7@" + server.host() + ":" + server.port())
          .keyPrefix("billing")
          .build();
      opened.add(weft);
      Await.until(WAIT, () -> "a WARN about permissions in\n" + String.join("\n", logs.lines()),
          () -> logs.lines("WARN", "dev.weft.").stream().anyMatch(l -> l.contains("ACL SETUSER")));
      assertThat(logs.lines("WARN", "dev.weft.")).filteredOn(l -> l.contains("ACL SETUSER"))
          .singleElement().asString()
          .contains("ACL SETUSER orders-app &billing:weft:changes ~billing:*")
          .contains("Weft cannot write its keys (billing:*)")
          .doesNotContain("pw-7");
    } finally {
      redis.aclDeluser("orders-app");
    }
  }

  @Test
  void keyPrefix_notAName_failsAtCreation_namingTheSettingAndTheRule() {
    assertThatThrownBy(() -> Weft.builder().redisUrl(server.url()).keyPrefix("orders:eu").build())
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("Weft.builder().keyPrefix(...)")
        .hasMessageContaining("\"orders:eu\"")
        .hasMessageContaining(KeySpace.NAME_RULE);
    assertThatThrownBy(() -> KeySpace.resolve(null, Map.of("WEFT_KEY_PREFIX", "a b"), null))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("the environment variable WEFT_KEY_PREFIX");
    assertThatThrownBy(() -> KeySpace.resolve(null, Map.of(), "{tag}"))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("the system property weft.key-prefix");
  }

  @Test
  void keyPrefix_builderWinsOverEnvironment_emptyMeansNone() {
    Map<String, String> env = Map.of("WEFT_KEY_PREFIX", "from-env");
    assertThat(KeySpace.resolve("given", env, "from-property").prefix()).isEqualTo("given:");
    assertThat(KeySpace.resolve("", env, "from-property").prefix()).isEmpty();
    assertThat(KeySpace.resolve(null, env, "from-property").prefix()).isEqualTo("from-env:");
    assertThat(KeySpace.resolve(null, Map.of(), "from-property").prefix())
        .isEqualTo("from-property:");
    assertThat(KeySpace.resolve(null, Map.of(), null)).isSameAs(KeySpace.NONE);
  }

  @Test
  void twoProcesses_withWeftKeyPrefixInTheirEnvironment_cacheOneKeySeparately() throws Exception {
    Path logs = Path.of("target", "key-prefix");
    List<Process> children = new ArrayList<>();
    for (String app : List.of("app-a", "app-b")) {
      children.add(ChildJvm.start(PrefixedProcess.class, logs.resolve(app + ".log"),
          // generous bounds: a cold child JVM on a loaded machine may take seconds to connect
          Map.of("WEFT_REDIS_URL", server.url(), KeySpace.ENV, app,
              "WEFT_REDIS_CONNECT_TIMEOUT", "40s", "WEFT_REDIS_TIMEOUT", "10s"),
          "from " + app));
    }
    for (Process child : children) {
      try {
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child exits").isTrue();
        assertThat(child.exitValue()).isZero();
      } finally {
        child.destroyForcibly();
      }
    }
    assertThat(redis.get("app-a:shared:1")).isEqualTo("\"from app-a\"");
    assertThat(redis.get("app-b:shared:1")).isEqualTo("\"from app-b\"");
    assertThat(redis.exists("shared:1")).isZero();
  }

  @Test
  void keyPrefix_fromSystemProperty_appliesToBuiltRuntimes() {
    assumeTrue(System.getenv(KeySpace.ENV) == null, "the environment sets no prefix");
    String before = System.getProperty(KeySpace.PROPERTY);
    System.setProperty(KeySpace.PROPERTY, "props");
    Weft weft;
    try {
      weft = runtime(null);
    } finally {
      if (before == null) {
        System.clearProperty(KeySpace.PROPERTY);
      } else {
        System.setProperty(KeySpace.PROPERTY, before);
      }
    }
    weft.cached("k", MINUTE, String.class, () -> "v");
    assertThat(redis.keys("*")).containsExactly("props:k");
  }
}
