package dev.weft.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads creating, reading and destroying one user's sessions at once: the per-user bound
 * holds exactly, and the index and the sessions agree (every live session is in the index and
 * every index entry is a live session), because each change to both is one script.
 */
@WeftRedis
class SessionsConcurrencyTest {

  private static final int THREADS = 8;
  private static final int PER_THREAD = 25;
  private static final int MOST = 5;

  private Weft weft;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;
  private ExecutorService pool;

  @BeforeEach
  void connect(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterEach
  void close() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    connection.close();
    client.shutdown();
    weft.close();
  }

  @Test
  void concurrentCreatesReadsAndDestroys_boundHoldsAndIndexMatchesSessions() throws Exception {
    Sessions sessions = weft.sessions("web",
        SessionOptions.defaults().idleTimeout(Duration.ofMinutes(5)).maxSessionsPerUser(MOST));
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      tasks.add(() -> {
        for (int i = 0; i < PER_THREAD; i++) {
          Session s = sessions.create("alice");
          sessions.get(s.id());
          if ((thread + i) % 3 == 0) {
            sessions.destroy(s.id());
          }
        }
        return null;
      });
    }
    for (Future<Void> f : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
      f.get();
    }

    String tagged = "weft:session:web:{" + Sessions.userTag("alice") + "}:";
    Set<String> live = new HashSet<>();
    for (String key : redis.keys(tagged + "*")) {
      if (!key.endsWith(":index")) {
        live.add(key.substring(tagged.length()));
      }
    }
    Set<String> indexed = new HashSet<>(redis.zrange(tagged + "index", 0, -1));
    assertThat(live).as("live sessions").hasSizeBetween(1, MOST);
    assertThat(indexed).as("the index lists exactly the live sessions").isEqualTo(live);
  }
}
