package dev.weft.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.Weft;
import dev.weft.cache.CacheOptions;
import dev.weft.cache.WeftCache;
import dev.weft.exception.WeftUnavailableException;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.cache.ChangeFeed;
import dev.weft.internal.redis.Heartbeat;
import dev.weft.pubsub.Publisher;
import dev.weft.pubsub.Subscriber;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions that know whether they are alive. A server whose process is stopped (SIGSTOP)
 * keeps its sockets open and its kernel acknowledging, so nothing tells a subscriber: only the
 * heartbeat finds out. Within its bound the change feed is no longer live and near caches stop
 * serving local copies; once the server runs again the feed and the subscriber subscribe anew. A
 * subscription killed by the server ({@code CLIENT KILL TYPE pubsub}) comes back as well.
 */
@WeftRedis
class SilentSubscriptionTest {

  /** The heartbeat's bound plus scheduling on a busy 2-core machine. */
  private static final Duration DETECTED =
      Heartbeat.INTERVAL.multipliedBy(Heartbeat.MISSES + 3);

  private static final Duration RECOVERY = Duration.ofSeconds(15);

  private Weft weft;
  private Subscriber subscriber;
  private final List<String> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void build(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).commandTimeout(Duration.ofSeconds(1)).build();
    subscriber = weft.subscriber();
    subscriber.subscribe("news", String.class, received::add);
  }

  @AfterEach
  void close() {
    if (subscriber != null) {
      subscriber.close();
    }
    weft.close();
  }

  @Test
  void stoppedServer_feedAndSubscriberGoDownWithinBound_nearCacheStopsServing_bothComeBack(
      RedisServer server) throws Exception {
    ChangeFeed feed = WeftAccess.cache(weft).feed();
    AtomicInteger loads = new AtomicInteger();
    WeftCache<Integer> near = weft.cache(Integer.class,
        CacheOptions.defaults().ttl("5m").near(true));
    Await.until(RECOVERY, () -> "the change feed is live", feed::live);
    assertThat(near.get("k", loads::incrementAndGet)).isEqualTo(1);
    assertThat(near.get("k", loads::incrementAndGet)).as("a near hit").isEqualTo(1);

    long pid = serverPid(server);
    assumeTrue(ProcessHandle.of(pid).isPresent(),
        "the Redis server runs in another process namespace (a container): it cannot be stopped");
    signal("STOP", pid);
    try {
      long stopped = System.nanoTime();
      Await.until(DETECTED, () -> "the feed noticed the silence", () -> !feed.live());
      Await.until(DETECTED, () -> "the subscriber noticed the silence", () -> !subscriber.live());
      assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(DETECTED);

      assertThat(near.get("k", loads::incrementAndGet))
          .as("no local copy is served: Redis does not answer, so the loader runs")
          .isEqualTo(2);
    } finally {
      signal("CONT", pid);
    }

    Await.until(RECOVERY, () -> "the feed is live again", feed::live);
    Await.until(RECOVERY, () -> "the subscriber is live again", subscriber::live);
    Publisher publisher = weft.publisher();
    Await.until(RECOVERY, () -> "a message reaches the subscriber after the pause", () -> {
      publishQuietly(publisher, "back");
      return received.contains("back");
    });
  }

  @Test
  void pubsubConnectionsKilled_feedAndSubscriberSubscribeAgain(RedisServer server) {
    ChangeFeed feed = WeftAccess.cache(weft).feed();
    Await.until(RECOVERY, () -> "the change feed is live", feed::live);
    WeftCache<Integer> near = weft.cache(Integer.class,
        CacheOptions.defaults().ttl("5m").near(true));
    assertThat(near.get("k", () -> 1)).isEqualTo(1);

    long killed;
    try (RedisClient client = RedisClient.create(server.uri());
        StatefulRedisConnection<String, String> c = client.connect()) {
      killed = c.sync().clientKill(KillArgs.Builder.typePubsub());
    }
    assertThat(killed).as("the feed's and the subscriber's connections").isGreaterThanOrEqualTo(2);

    Await.until(RECOVERY, () -> "the feed is live again", feed::live);
    Await.until(RECOVERY, () -> "the subscriber is live again", subscriber::live);
    near.put("k", 2);
    Await.until(RECOVERY, () -> "the near cache hears the change", () -> near.get("k", () -> 0) == 2);
    Publisher publisher = weft.publisher();
    Await.until(RECOVERY, () -> "a message reaches the subscriber", () -> {
      publishQuietly(publisher, "again");
      return received.contains("again");
    });
  }

  /** The runtime's own connection may still be waiting out the pause: then the next round. */
  private static void publishQuietly(Publisher publisher, String message) {
    try {
      publisher.publish("news", message);
    } catch (WeftUnavailableException e) {
      // tried again by the caller's wait
    }
  }

  private static long serverPid(RedisServer server) {
    try (RedisClient client = RedisClient.create(server.uri());
        StatefulRedisConnection<String, String> c = client.connect()) {
      return c.sync().info("server").lines()
          .filter(l -> l.startsWith("process_id:"))
          .mapToLong(l -> Long.parseLong(l.substring("process_id:".length()).trim()))
          .findFirst().orElseThrow();
    }
  }

  private static void signal(String signal, long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
        .redirectErrorStream(true).start();
    assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
  }
}
