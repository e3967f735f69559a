package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@link WeftRedis @WeftRedis} injects one server per class everywhere, flushes it between tests
 * and brings it back when a test left it stopped. The tests run in order on purpose: each one
 * checks what the extension did after the one before.
 */
@WeftRedis
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WeftRedisExtensionTest {

  private static RedisServer fromBeforeAll;
  private static RedisClient client;
  private static int firstPort;

  private final RedisServer fromConstructor;

  WeftRedisExtensionTest(RedisServer server) {
    this.fromConstructor = server;
  }

  @BeforeAll
  static void remember(RedisServer server) {
    fromBeforeAll = server;
    firstPort = server.port();
    client = RedisClient.create();
  }

  @AfterAll
  static void shutdownClient() {
    client.shutdown();
  }

  @Test
  @Order(1)
  void constructorBeforeAllAndMethod_receiveTheSameRunningServer(RedisServer server) {
    assertThat(server).isSameAs(fromConstructor).isSameAs(fromBeforeAll);
    assertThat(server.isRunning()).isTrue();
  }

  @Test
  @Order(2)
  void writeAKey_forTheNextTest(RedisServer server) {
    try (StatefulRedisConnection<String, String> connection = client.connect(server.uri())) {
      connection.sync().set("weft:left-behind", "1");
    }
  }

  @Test
  @Order(3)
  void keyOfThePreviousTest_isFlushed_thenKillTheServer(RedisServer server) {
    try (StatefulRedisConnection<String, String> connection = client.connect(server.uri())) {
      assertThat(connection.sync().exists("weft:left-behind")).isZero();
    }
    if (!RedisServer.SOURCE_EXTERNAL.equals(server.source())) {
      server.kill();
    }
  }

  @Test
  @Order(4)
  void serverKilledByThePreviousTest_isRunningAgainOnTheSamePort(RedisServer server) {
    assertThat(server.isRunning()).isTrue();
    assertThat(server.port()).isEqualTo(firstPort);
    try (StatefulRedisConnection<String, String> connection = client.connect(server.uri())) {
      assertThat(connection.sync().ping()).isEqualTo("PONG");
    }
  }

  @Nested
  class NestedClass {
    @Test
    void sharesTheEnclosingClassServer(RedisServer server) {
      assertThat(server).isSameAs(fromBeforeAll);
    }
  }
}
