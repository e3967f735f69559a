package dev.weft.writebehind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ChildJvm;
import dev.weft.Weft;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A crash of the writing JVM loses nothing Redis accepted: a child JVM writes 300 values over 100
 * keys and persists them through a slow persister (50 ms each), and is killed with SIGKILL long
 * before its persister is through, holding some writes read but unacknowledged and a key's lease.
 * A write-behind in this JVM then persists the rest: for every key, the last value persisted (by
 * the child or here) is the last value written.
 */
@WeftRedis
class WriteBehindCrashTest {

  private static final String NAME = "crash";
  private static final int KEYS = 100;
  private static final int WRITES = 300;
  private static final Duration WAIT = Duration.ofSeconds(90);

  private final List<Process> children = new ArrayList<>();
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
    children.forEach(Process::destroyForcibly);
    connection.close();
    client.shutdown();
    weft.close();
  }

  @Test
  void writerKilledBeforeItsPersisterFinished_anotherProcessPersistsEveryKeysLatestValue(
      RedisServer server) throws Exception {
    Process writer = child(server.url());
    Await.until(WAIT, () -> "the child wrote all " + WRITES + " values",
        () -> redis.get(NAME + ":child-wrote") != null);
    writer.destroyForcibly();
    assertThat(writer.waitFor(30, TimeUnit.SECONDS)).as("SIGKILL ends the JVM").isTrue();

    Map<String, String> childPersisted = redis.hgetall(NAME + ":child-persisted");
    assertThat(childPersisted.size()).as("keys the child persisted before it died")
        .isLessThan(KEYS);
    Map<String, Integer> expected = new HashMap<>();
    for (int i = 0; i < WRITES; i++) {
      expected.put("wb:" + (i % KEYS), i);
    }
    for (Map.Entry<String, Integer> e : expected.entrySet()) {
      assertThat(redis.get(e.getKey())).as("the cache entry of %s", e.getKey())
          .isEqualTo("{\"n\":" + e.getValue() + "}");
    }

    Map<String, Integer> persistedHere = new ConcurrentHashMap<>();
    try (WriteBehind<WriteBehindWriter.Item> survivor = weft.writeBehind(NAME,
        WriteBehindWriter.Item.class, (key, item) -> persistedHere.put(key, item.n()),
        WriteBehindOptions.defaults().ttl("1h").consumers(2).minIdle(Duration.ofSeconds(1)))) {
      Await.until(WAIT, () -> "the backlog empties, left " + survivor.backlog(),
          () -> survivor.backlog() == 0);
    }
    Map<String, Integer> last = new HashMap<>();
    redis.hgetall(NAME + ":child-persisted").forEach((k, v) -> last.put(k, Integer.parseInt(v)));
    last.putAll(persistedHere);
    assertThat(last).as("every key's last persisted value is its last written one")
        .isEqualTo(expected);
    assertThat(persistedHere).as("this process persisted what the dead one had not")
        .isNotEmpty();
  }

  private Process child(String url) throws Exception {
    Process p = ChildJvm.start(WriteBehindWriter.class,
        Paths.get("target", "write-behind-crash-test", "writer.log"),
        url, NAME, Integer.toString(KEYS), Integer.toString(WRITES), "50");
    children.add(p);
    return p;
  }
}
