package dev.weft.writebehind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.cache.CacheOptions;
import dev.weft.cache.WeftCache;
import dev.weft.stream.DeadLetter;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Write-behind against a real Redis: the write is seen at once, persisted later, retried. */
@WeftRedis
class WriteBehindTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  record Order(String id, long n) {}

  private final List<WriteBehind<?>> started = new ArrayList<>();
  private Weft weft;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;

  @BeforeEach
  void connect(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
    redis.flushall();
  }

  @AfterEach
  void close() {
    started.forEach(WriteBehind::close);
    connection.close();
    client.shutdown();
    weft.close();
  }

  private <T> WriteBehind<T> start(String name, Class<T> type, Persister<? super T> persister,
      WriteBehindOptions options) {
    WriteBehind<T> wb = weft.writeBehind(name, type, persister, options);
    started.add(wb);
    return wb;
  }

  @Test
  void write_readThroughWeftCache_seesValueAtOnce_entryHasTtl_streamHoldsTheWrite() {
    WriteBehind<Order> orders = start("orders", Order.class, (k, v) -> {},
        WriteBehindOptions.defaults().ttl("1h").consumers(0));
    String version = orders.write("order:1", new Order("1", 7));

    WeftCache<Order> cache = weft.cache(Order.class, CacheOptions.defaults().ttl("1h"));
    assertThat(cache.get("order:1", () -> {
      throw new AssertionError("the written entry must be read, not loaded");
    })).isEqualTo(new Order("1", 7));
    assertThat(redis.get("order:1")).isEqualTo("{\"id\":\"1\",\"n\":7}");
    assertThat(redis.pttl("order:1")).isBetween(1L, 3_600_000L);
    assertThat(orders.backlog()).isEqualTo(1);
    assertThat(redis.hget("weft:wb:{orders}:latest", "order:1")).isEqualTo(version);
    assertThat(redis.xrange("weft:wb:{orders}", io.lettuce.core.Range.create("-", "+")))
        .singleElement()
        .satisfies(e -> assertThat(e.getBody().get("payload"))
            .isEqualTo("{\"key\":\"order:1\",\"value\":\"{\\\"id\\\":\\\"1\\\",\\\"n\\\":7}\"}"));
  }

  @Test
  void write_nearCacheCopyDropped() {
    WeftCache<Order> near = weft.cache(Order.class, CacheOptions.defaults().ttl("1h").near(true));
    near.put("order:2", new Order("2", 1));
    Await.until(WAIT, () -> "the near cache holds order:2",
        () -> new Order("2", 1).equals(near.get("order:2", () -> null)));
    WriteBehind<Order> orders = start("orders", Order.class, (k, v) -> {},
        WriteBehindOptions.defaults().ttl("1h").consumers(0));
    orders.write("order:2", new Order("2", 2));
    Await.until(WAIT, () -> "the near cache drops its copy and reads the written value",
        () -> new Order("2", 2).equals(near.get("order:2", () -> null)));
  }

  @Test
  void manyWritesOfManyKeys_persisterReceivesEveryKeysLatestValue_backlogEmpties() {
    Map<String, Long> persisted = new ConcurrentHashMap<>();
    WriteBehind<Order> orders = start("orders", Order.class,
        (k, v) -> persisted.merge(k, v.n(), (old, now) -> {
          assertThat(now).as("never an older value after a newer one").isGreaterThan(old);
          return now;
        }),
        WriteBehindOptions.defaults().ttl("1h").consumers(2));
    for (int round = 1; round <= 5; round++) {
      for (int k = 0; k < 50; k++) {
        orders.write("order:" + k, new Order(Integer.toString(k), round));
      }
    }
    Await.until(WAIT, () -> "every key's latest value persisted, got " + persisted,
        () -> persisted.size() == 50 && persisted.values().stream().allMatch(n -> n == 5));
    Await.until(WAIT, () -> "the backlog empties", () -> orders.backlog() == 0);
    assertThat(redis.hlen("weft:wb:{orders}:latest")).as("no write left waiting").isZero();
    assertThat(redis.keys("weft:wb:{orders}:lease:*")).as("no lease left").isEmpty();
  }

  @Test
  void persisterFailsTwiceThenSucceeds_retried_getsTheValue() {
    AtomicInteger attempts = new AtomicInteger();
    List<Order> received = new CopyOnWriteArrayList<>();
    WriteBehind<Order> orders = start("orders", Order.class, (k, v) -> {
      if (attempts.incrementAndGet() <= 2) {
        throw new IllegalStateException("database down, attempt " + attempts.get());
      }
      received.add(v);
    }, WriteBehindOptions.defaults().ttl("1h").minIdle(Duration.ofMillis(200)).maxDeliveries(5));
    orders.write("order:3", new Order("3", 1));

    Await.until(WAIT, () -> "persisted on the third attempt, got " + received,
        () -> received.size() == 1);
    assertThat(received).containsExactly(new Order("3", 1));
    assertThat(attempts.get()).isEqualTo(3);
    Await.until(WAIT, () -> "the backlog empties", () -> orders.backlog() == 0);
    assertThat(orders.deadLetters(10)).isEmpty();
  }

  @Test
  void persisterAlwaysFails_deadLetteredAfterMaxDeliveries_thenSweptFromTheBacklog() {
    AtomicInteger attempts = new AtomicInteger();
    WriteBehind<Order> orders = start("orders", Order.class, (k, v) -> {
      attempts.incrementAndGet();
      throw new IllegalStateException("constraint violated");
    }, WriteBehindOptions.defaults().ttl("1h").minIdle(Duration.ofMillis(200)).maxDeliveries(3));
    orders.write("order:4", new Order("4", 1));

    Await.until(WAIT, () -> "one dead letter", () -> orders.deadLetters(10).size() == 1);
    DeadLetter letter = orders.deadLetters(10).get(0);
    assertThat(letter.deliveries()).isEqualTo(3);
    assertThat(letter.error()).contains("constraint violated");
    assertThat(letter.payload()).contains("\"key\":\"order:4\"");
    assertThat(attempts.get()).isEqualTo(3);
    Await.until(WAIT, () -> "the dead write no longer counts against the backlog",
        () -> orders.backlog() == 0 && redis.hlen("weft:wb:{orders}:latest") == 0);
    assertThat(redis.get("order:4")).as("the cache entry stays").contains("\"n\":1");
  }

  /**
   * The dead-letter stream is trimmed (at about 10,000 letters); the sweeper used to find dead
   * writes by reading that stream, so writes whose letters were trimmed before a sweep reached
   * them stayed in the write stream forever and the backlog never drained. Here the trim is what
   * happens between the failures and the first sweep: {@code XTRIM MAXLEN 0} leaves no letter,
   * as 10,000 newer ones would. The sweeper must still delete every dead write, and only those:
   * the live writes (held by a persister that waits) stay until persisted.
   */
  @Test
  void deadLettersTrimmedBeforeSwept_deadWritesStillLeaveTheStream_liveOnesStay()
      throws Exception {
    int dead = 300;
    WriteBehind<Order> failing = start("orders", Order.class, (k, v) -> {
      throw new IllegalStateException("constraint violated");
    }, WriteBehindOptions.defaults().ttl("1h").minIdle(Duration.ofMinutes(1)).maxDeliveries(
        1).batch(100));
    for (int i = 0; i < dead; i++) {
      failing.write("order:" + i, new Order(Integer.toString(i), i));
    }
    Await.until(WAIT, () -> dead + " dead letters",
        () -> redis.xlen("weft:wb:{orders}:dead") == dead);
    failing.close();
    assertThat(failing.backlog()).as("dead writes are left in the stream").isEqualTo(dead);
    redis.xtrim("weft:wb:{orders}:dead", 0);

    CountDownLatch release = new CountDownLatch(1);
    WriteBehind<Order> orders = start("orders", Order.class, (k, v) -> release.await(),
        WriteBehindOptions.defaults().ttl("1h").minIdle(Duration.ofMillis(200)));
    for (int i = 0; i < 3; i++) {
      orders.write("live:" + i, new Order("live" + i, i));
    }

    Await.until(WAIT, () -> "the stream holds only the 3 live writes, was " + orders.backlog(),
        () -> orders.backlog() == 3);
    assertThat(redis.hkeys("weft:wb:{orders}:latest")).containsExactlyInAnyOrder(
        "live:0", "live:1", "live:2");
    release.countDown();
    Await.until(WAIT, () -> "the live writes persisted", () -> orders.backlog() == 0);
  }

  /**
   * Four writer threads write one key, each value carrying a global sequence number, while two
   * write-behinds (as two processes) with three consumers each persist it through a slow
   * persister. The versions the persister receives must only grow, no two calls for the key may
   * overlap, and the last value written must be the last persisted.
   */
  @Test
  void concurrentWritesOfOneKey_persistedVersionsNeverRegress_callsNeverOverlap()
      throws Exception {
    Map<Long, String> versionOf = new ConcurrentHashMap<>();
    List<Long> persisted = new CopyOnWriteArrayList<>();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    Persister<Order> slow = (k, v) -> {
      if (inFlight.incrementAndGet() > 1) {
        overlaps.incrementAndGet();
      }
      try {
        Thread.sleep(ThreadLocalRandom.current().nextInt(1, 6));
        persisted.add(v.n()); // its version is known once its write() returned
      } finally {
        inFlight.decrementAndGet();
      }
    };
    WriteBehindOptions options = WriteBehindOptions.defaults().ttl("1h").consumers(3).batch(5);
    WriteBehind<Order> a = start("hot", Order.class, slow, options);
    start("hot", Order.class, slow, options);

    AtomicLong sequence = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread w = new Thread(() -> {
        try {
          go.await();
          for (int i = 0; i < 100; i++) {
            long n = sequence.incrementAndGet();
            String v = a.write("hot:key", new Order("hot", n));
            versionOf.put(n, v);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      w.start();
      writers.add(w);
    }
    go.countDown();
    for (Thread w : writers) {
      w.join();
    }
    String newest = versionOf.values().stream().max(WriteBehindTest::compareIds).orElseThrow();

    Await.until(WAIT, () -> "the newest version persisted, got " + persisted.size() + " calls",
        () -> !persisted.isEmpty()
            && newest.equals(versionOf.get(persisted.get(persisted.size() - 1))));
    Await.until(WAIT, () -> "the backlog empties", () -> a.backlog() == 0);
    List<String> persistedVersions = persisted.stream().map(versionOf::get).toList();
    assertThat(overlaps.get()).as("calls for one key that overlapped").isZero();
    for (int i = 1; i < persistedVersions.size(); i++) {
      assertThat(compareIds(persistedVersions.get(i), persistedVersions.get(i - 1)))
          .as("version %s persisted after %s", persistedVersions.get(i),
              persistedVersions.get(i - 1))
          .isPositive();
    }
    assertThat(persistedVersions.get(persistedVersions.size() - 1)).isEqualTo(newest);
    assertThat(persistedVersions.size()).as("coalesced: far fewer calls than writes")
        .isLessThanOrEqualTo(400);
  }

  @Test
  void backlogFull_writeRefused_nothingWritten() {
    WriteBehind<Order> orders = start("orders", Order.class, (k, v) -> {},
        WriteBehindOptions.defaults().ttl("1h").consumers(0).maxBacklog(3));
    for (int i = 0; i < 3; i++) {
      orders.write("order:" + i, new Order(Integer.toString(i), 1));
    }
    assertThatThrownBy(() -> orders.write("order:9", new Order("9", 1)))
        .isInstanceOf(RedisCommandExecutionException.class)
        .hasMessageContaining("is full: 3 writes wait to be persisted (maxBacklog)");
    assertThat(redis.exists("order:9")).isZero();
    assertThat(orders.backlog()).isEqualTo(3);
    assertThat(redis.hexists("weft:wb:{orders}:latest", "order:9")).isFalse();
  }

  @Test
  void wrongTypeAtAWriteBehindKey_writeFails_nothingHalfWritten() {
    redis.set("weft:wb:{orders}:latest", "not a hash");
    WriteBehind<Order> orders = start("orders", Order.class, (k, v) -> {},
        WriteBehindOptions.defaults().ttl("1h").consumers(0));
    assertThatThrownBy(() -> orders.write("order:5", new Order("5", 1)))
        .isInstanceOf(RedisCommandExecutionException.class)
        .hasMessageContaining("WRONGTYPE");
    assertThat(redis.exists("order:5", "weft:wb:{orders}")).isZero();
  }

  @Test
  void invalidArguments_rejectedWithTheFix() {
    assertThatThrownBy(() -> weft.writeBehind("", Order.class, (k, v) -> {},
        WriteBehindOptions.defaults().ttl("1h"))).hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> WriteBehindOptions.defaults().ttl("1h").maxBacklog(0))
        .hasMessageContaining("maxBacklog must be at least 1");
    WriteBehind<Order> orders = start("orders", Order.class, (k, v) -> {},
        WriteBehindOptions.defaults().ttl("1h").consumers(0));
    assertThatThrownBy(() -> orders.write("", new Order("x", 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Compares stream ids ({@code <ms>-<seq>}) numerically. */
  static int compareIds(String a, String b) {
    String[] x = a.split("-");
    String[] y = b.split("-");
    int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
    return c != 0 ? c : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
  }
}
