package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code flushBeforeEach = false} keeps keys from one test to the next; with one test instance per
 * class the server is already there for the constructor, before any {@code BeforeAll} callback.
 */
@WeftRedis(flushBeforeEach = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WeftRedisWithoutFlushTest {

  private final RedisServer server;

  WeftRedisWithoutFlushTest(RedisServer server) {
    this.server = server;
  }

  @Test
  @Order(1)
  void writeAKey() {
    RedisClient client = RedisClient.create();
    try (StatefulRedisConnection<String, String> connection = client.connect(server.uri())) {
      connection.sync().set("weft:kept", "1");
    } finally {
      client.shutdown();
    }
  }

  @Test
  @Order(2)
  void keyOfThePreviousTest_isStillThere(RedisServer injected) {
    assertThat(injected).isSameAs(server);
    RedisClient client = RedisClient.create();
    try (StatefulRedisConnection<String, String> connection = client.connect(server.uri())) {
      assertThat(connection.sync().get("weft:kept")).isEqualTo("1");
    } finally {
      client.shutdown();
    }
  }
}
