package dev.weft.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.weft.Weft;
import dev.weft.cache.CacheOptions;
import dev.weft.cache.WeftCache;
import dev.weft.internal.WeftAccess;
import dev.weft.lock.LockLease;
import dev.weft.queue.Delivery;
import dev.weft.queue.QueueOptions;
import dev.weft.queue.ReliableQueue;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Redis 7 user with every key and command but no channel ({@code resetchannels}, the default of
 * new users on Redis 7): the scripts' notifications are refused, the writes are not. Caching,
 * invalidation, locks and queues work, no caller sees an exception for a write that happened, and
 * exactly one WARN says that notifications are off and which {@code ACL SETUSER} rule turns them
 * on. Redis 6.2 has channel rules too ({@code resetchannels}), without {@code ACL DRYRUN}: there
 * the runtime probes, and the same holds.
 */
@WeftRedis
class AclWithoutChannelsTest {

  private static final String NOTIFICATIONS_OFF = "Weft notifications are off";
  private static final Duration TTL = Duration.ofMinutes(5);

  private RedisClient admin;
  private StatefulRedisConnection<String, String> adminConnection;
  private RedisCommands<String, String> redis;
  private Weft weft;
  private LogCapture logs;

  @BeforeEach
  void build(RedisServer server) {
    admin = RedisClient.create(server.uri());
    adminConnection = admin.connect();
    redis = adminConnection.sync();
    redis.aclSetuser("app", io.lettuce.core.AclSetuserArgs.Builder
        .on().addPassword("s3cret-pw").allKeys().allCommands().resetChannels());
    logs = LogCapture.start();
    weft = Weft.builder()
        .redisUrl("redis://app:s3cret-pw@" + server.host() + ":" + server.port())
        .commandTimeout(Duration.ofSeconds(1))
        .build();
  }

  @AfterEach
  void close() {
    weft.close();
    logs.close();
    redis.aclDeluser("app");
    adminConnection.close();
    admin.shutdown();
  }

  @Test
  void cacheWritesAndInvalidations_areStored_withoutWarningPerCall() {
    WeftCache<String> cache = weft.cache(String.class, CacheOptions.defaults().ttl(TTL));
    AtomicInteger loads = new AtomicInteger();

    for (int i = 0; i < 3; i++) {
      assertThat(cache.get("user:1", () -> "ada#" + loads.incrementAndGet())).isEqualTo("ada#1");
    }
    assertThat(loads).as("stored by the first call, read back by the others").hasValue(1);
    assertThat(redis.get("user:1")).isEqualTo("\"ada#1\"");

    cache.put("user:2", "grace");
    assertThat(redis.get("user:2")).isEqualTo("\"grace\"");
    assertThat(weft.cached("user:3", TTL, String.class, () -> "linus")).isEqualTo("linus");
    assertThat(redis.exists("user:3")).isEqualTo(1L);

    cache.invalidate("user:1");
    assertThat(redis.exists("user:1")).as("invalidated").isZero();
    assertThat(cache.get("user:1", () -> "ada#" + loads.incrementAndGet())).isEqualTo("ada#2");

    awaitOneNotificationWarning();
    assertThat(logs.lines("WARN", "dev.weft."))
        .as("no write is reported as failed")
        .noneMatch(l -> l.contains("could not write") || l.contains("could not release"));
  }

  @Test
  void nearCache_servesNothingLocally_whileNotificationsAreOff() {
    WeftCache<String> cache = weft.cache(String.class, CacheOptions.defaults().ttl(TTL).near(true));
    assertThat(cache.get("k", () -> "v1")).isEqualTo("v1");
    awaitOneNotificationWarning();

    redis.set("k", "\"changed elsewhere\"");
    assertThat(cache.get("k", () -> "unused"))
        .as("read from Redis: no notification would have told a local copy of the change")
        .isEqualTo("changed elsewhere");
    assertThat(WeftAccess.cache(weft).feed().live()).isFalse();
  }

  @Test
  void lock_secondWaiterGetsItAfterRelease_byPolling() throws Exception {
    LockLease first = weft.lock("report").acquire(Duration.ofSeconds(1));
    CompletableFuture<Long> second = waiting("second-waiter", () -> {
      try (LockLease lease = weft.lock("report").acquire(Duration.ofSeconds(10))) {
        return System.nanoTime();
      }
    });
    assertThat(second).as("waits while the lock is held").isNotDone();
    long released = System.nanoTime();
    first.close();
    long acquired = second.get(5, TimeUnit.SECONDS);
    assertThat(TimeUnit.NANOSECONDS.toMillis(acquired - released))
        .as("the waiter polls at most every 250 ms once the feed is known to be off")
        .isLessThan(1_500);
    assertThat(redis.exists("weft:lock:{report}")).as("released again").isZero();
    awaitOneNotificationWarning();
  }

  @Test
  void queue_offersNeverThrow_andTakesWork() throws Exception {
    ReliableQueue<String> queue =
        weft.queue("jobs", String.class,
            QueueOptions.defaults().visibilityTimeout(Duration.ofMinutes(1)));
    for (String job : List.of("a", "b", "c")) {
      assertThatCode(() -> assertThat(queue.offer(job)).isTrue()).doesNotThrowAnyException();
    }
    assertThat(queue.size()).isEqualTo(3);
    for (String job : List.of("a", "b", "c")) {
      Optional<Delivery<String>> taken = queue.take(Duration.ofSeconds(1));
      assertThat(taken).map(Delivery::payload).contains(job);
      assertThat(queue.ack(taken.orElseThrow())).isTrue();
    }

    CompletableFuture<Optional<Delivery<String>>> waiting =
        waiting("taker", () -> queue.take(Duration.ofSeconds(10)));
    queue.offer("d");
    assertThat(waiting.get(5, TimeUnit.SECONDS)).map(Delivery::payload).contains("d");
    awaitOneNotificationWarning();
  }

  /**
   * Runs {@code body} on a thread of its own and returns once that thread is blocked: waiting for
   * Redis's answer or for its next attempt.
   */
  private static <T> CompletableFuture<T> waiting(String name, Callable<T> body) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        result.complete(body.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    Await.until(Duration.ofSeconds(5), () -> name + " blocks", () -> result.isDone()
        || thread.getState() == Thread.State.WAITING
        || thread.getState() == Thread.State.TIMED_WAITING);
    return result;
  }

  /** The start-up check reports once, in one line, with the fix and without the password. */
  private void awaitOneNotificationWarning() {
    Await.until(Duration.ofSeconds(10), () -> "a WARN that notifications are off in\n"
        + String.join("\n", logs.lines()), () -> !notificationWarnings().isEmpty());
    List<String> warnings = notificationWarnings();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0))
        .contains("'app'")
        .contains("ACL SETUSER app &weft:changes")
        .doesNotContain("s3cret-pw");
  }

  private List<String> notificationWarnings() {
    return logs.lines("WARN", "dev.weft.").stream()
        .filter(l -> l.contains(NOTIFICATIONS_OFF)).toList();
  }
}
