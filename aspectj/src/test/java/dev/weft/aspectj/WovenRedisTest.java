package dev.weft.aspectj;

import dev.weft.Weft;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the behaviour suite's standalone tests: the class's own real Redis, a Weft runtime
 * installed for the woven methods, and a plain Lettuce client ({@link #redis}) to read back what
 * they wrote. The previous runtime is restored afterwards.
 */
@WeftRedis
public abstract class WovenRedisTest {

  protected static Weft weft;
  protected static RedisCommands<String, String> redis;

  private static Weft previous;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> connection;

  @BeforeAll
  static void startWeft(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
    previous = Weft.install(weft);
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
  }

  @AfterAll
  static void stopWeft() {
    connection.close();
    client.shutdown();
    if (previous != null) {
      Weft.install(previous);
    }
    weft.close();
  }
}
