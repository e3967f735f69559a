package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A standalone server from {@link RedisLauncher#startStandalone()}, whichever source this machine
 * gives, through Lettuce. Tests that stop or kill the server are skipped against an external
 * server, which weft-test must not stop.
 */
@Tag("redis")
class StandaloneServerTest {

  private static RedisClient client;
  private RedisServer server;

  @BeforeAll
  static void createClient() {
    client = RedisClient.create();
  }

  @AfterAll
  static void shutdownClient() {
    client.shutdown();
  }

  @BeforeEach
  void startServer() {
    server = RedisLauncher.startStandalone();
  }

  @AfterEach
  void closeServer() {
    server.close();
  }

  @Test
  void setThenGet_throughLettuce_returnsTheValue() {
    try (StatefulRedisConnection<String, String> connection = client.connect(server.uri())) {
      connection.sync().set("weft:greeting", "hello");

      assertThat(connection.sync().get("weft:greeting")).isEqualTo("hello");
    }
  }

  @Test
  void set_withPx_leavesATtl() {
    try (StatefulRedisConnection<String, String> connection = client.connect(server.uri())) {
      connection.sync().set("weft:short-lived", "v", SetArgs.Builder.px(60_000));

      assertThat(connection.sync().pttl("weft:short-lived")).isBetween(1L, 60_000L);
    }
  }

  @Test
  void url_andUri_nameTheSameHostAndPort() {
    RedisURI uri = server.uri();

    assertThat(uri.getHost()).isEqualTo(server.host());
    assertThat(uri.getPort()).isEqualTo(server.port());
    assertThat(RedisURI.create(server.url())).isEqualTo(uri);
    assertThat(server.source())
        .isIn(
            RedisServer.SOURCE_EXTERNAL,
            RedisServer.SOURCE_TESTCONTAINERS,
            RedisServer.SOURCE_PATH,
            RedisServer.SOURCE_EMBEDDED);
  }

  @Test
  void flushAll_removesEveryKey() {
    try (StatefulRedisConnection<String, String> connection = client.connect(server.uri())) {
      connection.sync().mset(java.util.Map.of("weft:a", "1", "weft:b", "2"));

      server.flushAll();

      assertThat(connection.sync().dbsize()).isZero();
    }
  }

  @Test
  void stop_refusesConnections_thenStart_servesOnTheSamePort() {
    assumeFalse(RedisServer.SOURCE_EXTERNAL.equals(server.source()), "external server");
    int port = server.port();

    server.stop();

    assertThat(server.isRunning()).isFalse();
    assertThat(TestRedis.refusesConnections(server.host(), port)).isTrue();
    assertThatThrownBy(() -> client.connect(server.uri()))
        .isInstanceOf(RedisConnectionException.class);

    server.start();

    assertThat(server.isRunning()).isTrue();
    assertThat(server.port()).isEqualTo(port);
    try (StatefulRedisConnection<String, String> connection = client.connect(server.uri())) {
      assertThat(connection.sync().ping()).isEqualTo("PONG");
    }
  }

  @Test
  void openConnection_survivesRestart_andReconnects() {
    assumeFalse(RedisServer.SOURCE_EXTERNAL.equals(server.source()), "external server");
    try (StatefulRedisConnection<String, String> connection = client.connect(server.uri())) {
      connection.setTimeout(Duration.ofSeconds(10));
      RedisCommands<String, String> commands = connection.sync();
      commands.set("weft:before", "lost on restart");

      server.stop();
      server.start();

      commands.set("weft:after", "kept");
      assertThat(commands.get("weft:after")).isEqualTo("kept");
      assertThat(commands.exists("weft:before")).isZero();
    }
  }

  @Test
  void kill_endsTheProcess_thenStart_servesAgain() {
    RedisServer local = RedisLauncher.startStandalone(TestRedis.localProcessesOnly());
    try {
      Set<Long> before = TestRedis.childPids();

      local.kill();

      Set<Long> gone = new HashSet<>(before);
      gone.removeAll(TestRedis.childPids());
      assertThat(gone).hasSize(1);
      assertThat(TestRedis.isAlive(gone.iterator().next())).isFalse();
      assertThat(local.isRunning()).isFalse();
      assertThat(TestRedis.refusesConnections(local.host(), local.port())).isTrue();

      local.start();

      try (StatefulRedisConnection<String, String> connection = client.connect(local.uri())) {
        assertThat(connection.sync().ping()).isEqualTo("PONG");
      }
    } finally {
      local.close();
    }
  }

  @Test
  void close_refusesConnections_andForbidsRestart() {
    assumeFalse(RedisServer.SOURCE_EXTERNAL.equals(server.source()), "external server");

    server.close();
    server.close();

    assertThat(TestRedis.refusesConnections(server.host(), server.port())).isTrue();
    assertThat(server.isRunning()).isFalse();
    assertThatThrownBy(server::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
