package dev.weft.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.exception.WeftUnavailableException;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.outage.LogCapture;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.CommandType;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Removals that Redis refused are retried in the background ({@link Retries}): applied once Redis
 * takes them, given up when their entries would have expired, bounded in number. Redis refuses
 * for real: the runtime's ACL user loses {@code UNLINK} and gets it back.
 */
@WeftRedis
class RetriesTest {

  private static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();

  private RedisClient admin;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;
  private CacheRuntime runtime;
  private LogCapture logs;

  @BeforeAll
  static void meters() {
    Metrics.addRegistry(METERS);
  }

  @BeforeEach
  void start(RedisServer server) {
    admin = RedisClient.create(server.uri());
    connection = admin.connect();
    redis = connection.sync();
    redis.flushall();
    redis.aclSetuser("app", AclSetuserArgs.Builder
        .on().addPassword("app-pw").allKeys().allCommands().allChannels());
    String url = "redis://app:app-pw@" + server.host() + ":" + server.port();
    logs = LogCapture.start();
    runtime = new CacheRuntime(new RedisGateway(url, Duration.ofSeconds(1)), url, Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() {
    runtime.close();
    runtime.redis().close();
    logs.close();
    redis.aclDeluser("app");
    connection.close();
    admin.shutdown();
  }

  private void refuseRemovals() {
    redis.aclSetuser("app", AclSetuserArgs.Builder.removeCommand(CommandType.UNLINK));
  }

  private void allowRemovals() {
    redis.aclSetuser("app", AclSetuserArgs.Builder.addCommand(CommandType.UNLINK));
  }

  private WeftUnavailableException failedRemoval(String key) {
    try {
      EntryStore.delete(runtime.redis(), key);
    } catch (WeftUnavailableException e) {
      return e;
    }
    throw new AssertionError("Redis removed " + key + " although UNLINK was refused");
  }

  private static double retries(String outcome) {
    var counter = METERS.find("weft.cache.retries").tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void removal_refusedByRedis_isAppliedOnceRedisTakesIt_withAWarnAndTheMeter() {
    redis.set("k", "1");
    double succeeded = retries("succeeded");
    refuseRemovals();

    runtime.retries().removeKey("k", 60_000, failedRemoval("k"));
    Await.until(Duration.ofSeconds(10), () -> "a retry failed", () -> retries("retried") > 0);
    assertThat(redis.exists("k")).as("not applied while refused").isEqualTo(1);

    allowRemovals();
    Await.until(Duration.ofSeconds(10), () -> "k removed", () -> redis.exists("k") == 0);
    Await.until(Duration.ofSeconds(10), () -> "queue drained", () -> runtime.retries().pending() == 0);

    assertThat(retries("succeeded") - succeeded).isEqualTo(1);
    assertThat(logs.lines("WARN", "dev.weft.internal.cache.Retries"))
        .anySatisfy(l -> assertThat(l).contains("could not remove 'k'"))
        .anySatisfy(l -> assertThat(l).contains("1 applied late, 0 given up"));
  }

  @Test
  void removal_refusedUntilItsEntryExpired_isGivenUp() {
    redis.set("k", "1");
    double expired = retries("expired");
    refuseRemovals();

    runtime.retries().removeKey("k", 300, failedRemoval("k"));

    Await.until(Duration.ofSeconds(10), () -> "given up", () -> runtime.retries().pending() == 0);
    assertThat(retries("expired") - expired).isEqualTo(1);
    assertThat(redis.exists("k")).isEqualTo(1);
    assertThat(logs.lines("WARN", "dev.weft.internal.cache.Retries"))
        .anySatisfy(l -> assertThat(l).contains("0 applied late, 1 given up"));
  }

  @Test
  void removals_ofOneKey_areOneRetry_andTheQueueIsBounded() {
    refuseRemovals();
    WeftUnavailableException cause = failedRemoval("k");
    double dropped = retries("dropped");

    runtime.retries().removeKey("k", 60_000, cause);
    runtime.retries().removeKey("k", 60_000, cause);
    assertThat(runtime.retries().pending()).isEqualTo(1);

    for (int i = 0; i < Retries.MAX_PENDING + 4; i++) {
      runtime.retries().removeKey("k" + i, 60_000, cause);
    }

    assertThat(runtime.retries().pending()).isEqualTo(Retries.MAX_PENDING);
    assertThat(retries("dropped") - dropped).isEqualTo(5);
    assertThat(logs.lines("WARN", "dev.weft.internal.cache.Retries"))
        .filteredOn(l -> l.contains("dropping"))
        .hasSize(1);
  }

  @Test
  void close_stopsTheRetries() {
    refuseRemovals();
    runtime.retries().removeKey("k", 60_000, failedRemoval("k"));

    runtime.close();

    assertThat(runtime.retries().pending()).isZero();
    runtime.retries().removeKey("k", 60_000, failedRemoval("k"));
    assertThat(runtime.retries().pending()).isZero();
    assertThat(logs.lines("WARN", "dev.weft.internal.cache.Retries"))
        .anySatisfy(l -> assertThat(l).contains("closing with 1 removals"));
  }

  @Test
  void delay_backsOffFrom100msTo5s_withJitter() {
    assertThat(Retries.delayMillis(0)).isBetween(50L, 100L);
    assertThat(Retries.delayMillis(3)).isBetween(400L, 800L);
    assertThat(Retries.delayMillis(30)).isBetween(2_500L, 5_000L);
    Set<Long> spread = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      long delay = Retries.delayMillis(6);
      assertThat(delay).isBetween(2_500L, 5_000L);
      spread.add(delay);
    }
    assertThat(spread).as("jittered delays").hasSizeGreaterThan(10);
  }
}
