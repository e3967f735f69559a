package dev.weft.aspectj.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Claims about several processes, tested with several JVMs against one real Redis. */
@WeftRedis
class MultiProcessCachingTest {

  private static RedisClient client;
  private static StatefulRedisConnection<String, String> connection;
  private static RedisCommands<String, String> redis;
  private static Weft weft;

  @BeforeAll
  static void start(RedisServer server) {
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
    weft = Weft.builder().redisUrl(server.url()).build();
    Weft.install(weft);
  }

  @AfterAll
  static void stop() {
    connection.close();
    client.shutdown();
    weft.close();
  }

  /** 4 JVMs x 16 threads miss one key at once: the slow body runs exactly once. */
  @Test
  void stampede_fourProcessesSixteenThreadsEach_bodyRunsOnce(RedisServer server) throws Exception {
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        children.add(new ChildJvm(StampedeChild.class, server.url(), "16", "hot"));
      }
      for (ChildJvm child : children) {
        child.await("READY", 60);
      }
      redis.set("stampede:go", "1");
      for (ChildJvm child : children) {
        assertThat(child.await("RESULTS", 60)).isEqualTo("16 [value-of-hot]");
      }
    } finally {
      children.forEach(ChildJvm::close);
    }
    assertThat(redis.get("stampede:runs")).isEqualTo("1");
    assertThat(redis.exists("weft:load:stampede:hot")).isZero();
  }

  /**
   * A process reading a near-cached entry serves repeat reads locally, and sees another process's
   * write or invalidation within 100 ms.
   */
  @Test
  void nearCache_localHits_andAnotherProcessesWriteIsSeenWithin100ms(RedisServer server)
      throws Exception {
    redis.set("source:x", "v1");
    NearWriter writer = new NearWriter();
    // Build the writer's plans and load its scripts first, so the timing below is propagation only.
    writer.write("warm-up", "w");
    writer.invalidate("warm-up");
    try (ChildJvm reader = new ChildJvm(NearChild.class, server.url())) {
      reader.await("READY", 60);
      reader.send("read 1 x");
      assertThat(reader.await("VALUE", 30)).isEqualTo("v1");

      // The reader's change feed subscribes in the background as its runtime starts; the local
      // tier is trusted from then on.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      long gets;
      do {
        redis.configResetstat();
        reader.send("read 500 x");
        assertThat(reader.await("VALUE", 30)).isEqualTo("v1");
        gets = getCalls();
      } while (gets >= 5 && System.nanoTime() < deadline);
      assertThat(gets).as("500 repeat reads served from the local tier").isLessThan(5);

      reader.send("watch x v1");
      long before = System.currentTimeMillis();
      writer.write("x", "v2");
      String[] changed = reader.await("CHANGED", 30).split(" ");
      assertThat(changed[1]).isEqualTo("v2");
      assertThat(Long.parseLong(changed[0]) - before).isLessThan(100L);

      redis.set("source:x", "v3");
      reader.send("watch x v2");
      before = System.currentTimeMillis();
      writer.invalidate("x");
      changed = reader.await("CHANGED", 30).split(" ");
      assertThat(changed[1]).isEqualTo("v3");
      assertThat(Long.parseLong(changed[0]) - before).isLessThan(100L);
    }
  }

  private static long getCalls() {
    Matcher m = Pattern.compile("cmdstat_get:calls=(\\d+)").matcher(redis.info("commandstats"));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
