package dev.weft.outage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.WeftHealth;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Weft#health()} against a real server that is killed and started again: up with a round
 * trip, down with a reason (and, after repeated failures, an open breaker) without throwing, up
 * again once Redis answers.
 */
@WeftRedis
class WeftHealthTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private Weft weft;

  @BeforeEach
  void build(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).commandTimeout("500ms").build();
  }

  @AfterEach
  void close(RedisServer server) {
    weft.close();
    if (!server.isRunning()) {
      server.start();
    }
  }

  @Test
  void up_down_andUpAgain(RedisServer server) {
    WeftHealth up = weft.health();
    assertThat(up.up()).isTrue();
    assertThat(up.roundTrip()).isPositive();
    assertThat(up.circuit()).isEqualTo(WeftHealth.Circuit.CLOSED);
    assertThat(up.problem()).isNull();
    assertThat(up.redis()).isEqualTo(weft.redisUrl());

    server.kill();

    WeftHealth down = weft.health();
    assertThat(down.up()).isFalse();
    assertThat(down.roundTrip()).isNull();
    assertThat(down.problem()).isNotBlank();
    Await.until(WAIT, () -> "the breaker opens after repeated failed checks, last: " + weft.health(),
        () -> weft.health().circuit() == WeftHealth.Circuit.OPEN);
    WeftHealth open = weft.health();
    assertThat(open.up()).isFalse();
    assertThat(open.problem()).isNotBlank();

    server.start();

    Await.until(WAIT, () -> "healthy again after the restart, last: " + weft.health(),
        () -> weft.health().up());
    assertThat(weft.health().circuit()).isEqualTo(WeftHealth.Circuit.CLOSED);
  }

  @Test
  void redisVersion_ofARunningServer_isTheVersionItsInfoReports(RedisServer server) {
    String reported;
    RedisClient client = RedisClient.create(server.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      reported = connection.sync().info("server").lines()
          .filter(line -> line.startsWith("redis_version:"))
          .findFirst().orElseThrow().substring("redis_version:".length()).trim();
    } finally {
      client.shutdown();
    }

    assertThat(weft.redisVersion()).contains(reported);
    assertThat(reported).matches("\\d+\\.\\d+\\.\\d+");
  }

  @Test
  void redisVersion_whileRedisIsDown_isEmptyWithoutThrowing(RedisServer server) {
    assertThat(weft.redisVersion()).isPresent();

    server.kill();

    assertThat(weft.redisVersion()).isEmpty();
  }
}
