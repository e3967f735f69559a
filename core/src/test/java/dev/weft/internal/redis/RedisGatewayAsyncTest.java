package dev.weft.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisGateway#runAsync}, the fire-and-forget path that {@code @Counted} sends its
 * increments through: same reply and NOSCRIPT fallback as {@link RedisGateway#run}, the same
 * breaker, and a caller that never waits for Redis, not even for the first connect.
 */
@WeftRedis
class RedisGatewayAsyncTest {

  private static final Script<List<Long>> INCR = Script.integers("counter_incr");

  private RedisGateway gateway;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
  }

  /** Adds 1 to the current minute bucket under {@code prefix}; replies {start, count}. */
  private CompletableFuture<List<Long>> increment(String prefix) {
    return gateway.runAsync(INCR.keys(prefix).arg(60).arg(1).arg(60));
  }

  @Test
  void reply_asFromRun_evenAfterTheServerForgotTheScript(RedisServer server) {
    gateway = new RedisGateway(server.url(), Duration.ofSeconds(1));
    assertThat(increment("t:").join().get(1)).isEqualTo(1L);

    try (RedisClient client = RedisClient.create(server.url());
        StatefulRedisConnection<String, String> c = client.connect()) {
      c.sync().scriptFlush();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }

    assertThat(increment("t:").join().get(1)).as("EVAL after NOSCRIPT").isEqualTo(2L);
    assertThat(gateway.state()).isEqualTo(RedisGateway.State.CLOSED);
  }

  @Test
  void beforeTheFirstConnect_theCallerDoesNotWait_theConnectTimesOutElsewhere() throws Exception {
    // Accepts TCP connections (the kernel does) and never answers the handshake.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      gateway =
          new RedisGateway("redis://127.0.0.1:" + silent.getLocalPort(), Duration.ofSeconds(3));

      long start = System.nanoTime();
      CompletableFuture<List<Long>> reply = increment("t:");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("returned without waiting for the 3 s handshake timeout")
          .isLessThan(Duration.ofSeconds(1));
      assertThat(reply).isNotDone();

      assertThat(failure(reply.handle((value, e) -> e).get(15, TimeUnit.SECONDS)))
          .isInstanceOf(RedisUnavailableException.class);
    }
  }

  @Test
  void breakerOpen_failsAtOnce_unsent() {
    gateway = new RedisGateway("redis://127.0.0.1:1", Duration.ofMillis(200));
    Await.until(Duration.ofSeconds(10), () -> "the breaker opens", () -> {
      increment("t:").handle((value, e) -> e).join();  // settled: failed and counted
      return gateway.state() == RedisGateway.State.OPEN;
    });

    assertThat(failure(increment("t:").handle((value, e) -> e).join()))
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining("the call was not sent");
  }

  @Test
  void closedGateway_futuresFailWithRedisUnavailable(RedisServer server) {
    gateway = new RedisGateway(server.url(), Duration.ofSeconds(1));
    gateway.close();

    assertThat(failure(increment("t:").handle((value, e) -> e).join()))
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining("is closed");
  }

  /** @return what a future failed with, without the wrapper a dependent stage adds */
  private static Throwable failure(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }
}
