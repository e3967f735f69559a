package dev.weft.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway against a real Redis that fails: what counts against the circuit breaker, and that
 * commands are neither queued while the server is down nor replayed after it is back.
 */
@WeftRedis
class RedisGatewayFailureTest {

  /** Long on purpose: a call that fails well before it was rejected, not timed out. */
  private static final Duration LONG_TIMEOUT = Duration.ofSeconds(5);
  /** The major version of the Lettuce on the class path (7 in Weft's own build). */
  private static final int LETTUCE_MAJOR = lettuceMajor();

  private static int lettuceMajor() {
    String version = RedisClient.class.getPackage().getImplementationVersion();
    return version == null ? 7 : Integer.parseInt(version.substring(0, version.indexOf('.')));
  }

  private static final Duration RECOVERY = Duration.ofSeconds(15);

  private RedisGateway gateway;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws InterruptedException {
    for (Thread t : threads) {
      t.join(LONG_TIMEOUT.toMillis() + 5_000);
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void errorReplies_doNotOpenTheBreaker(RedisServer server) {
    gateway = new RedisGateway(server.url(), Duration.ofSeconds(1));
    gateway.execute(c -> c.set("text", bytes("not a number")));

    for (int i = 0; i < 3 * RedisGateway.WINDOW; i++) {
      assertThatThrownBy(() -> gateway.execute(c -> c.incr("text")))
          .isInstanceOf(RedisCommandExecutionException.class)
          .isNotInstanceOf(RedisUnavailableException.class)
          .hasMessageContaining("not an integer");
      assertThatThrownBy(() -> gateway.execute(c -> c.lpush("text", bytes("x"))))
          .isInstanceOf(RedisCommandExecutionException.class)
          .hasMessageStartingWith("WRONGTYPE");
      assertThatThrownBy(
              () ->
                  gateway.execute(
                      c -> c.eval("return redis.error_reply('BOOM script failed')",
                          ScriptOutputType.STATUS, new String[0])))
          .isInstanceOf(RedisCommandExecutionException.class)
          .hasMessageContaining("BOOM");
    }

    assertThat(gateway.state()).isEqualTo(RedisGateway.State.CLOSED);
    assertThat(gateway.<byte[]>execute(c -> c.get("text"))).isEqualTo(bytes("not a number"));
  }

  /**
   * While the server is down, a command fails at once instead of waiting in a queue for the
   * reconnect (REJECT_COMMANDS); after a restart the gateway reconnects by itself, and nothing
   * that was attempted during the outage reaches the new server.
   */
  @Test
  void whileDown_commandsAreRejectedAtOnce_andNotReplayedAfterRestart(RedisServer server) {
    gateway = new RedisGateway(server.url(), LONG_TIMEOUT);
    assertThat(gateway.<String>execute(c -> c.ping())).isEqualTo("PONG");

    server.kill();

    for (int i = 0; i < 2 * RedisGateway.WINDOW; i++) {
      String key = "written-while-down:" + i;
      long start = System.nanoTime();
      Throwable failure = catchThrowable(() -> gateway.execute(c -> c.set(key, bytes("lost"))));
      assertThat(failure).isInstanceOf(RedisUnavailableException.class);
      assertThat(elapsedMillis(start)).as("rejected, not queued until the timeout").isLessThan(1_000);
    }
    assertThat(gateway.state()).isEqualTo(RedisGateway.State.OPEN);

    server.start();

    awaitWorking();
    try (Admin admin = new Admin(server)) {
      assertThat(admin.redis.keys("written-while-down:*")).isEmpty();
      assertThat(admin.redis.dbsize()).isZero();
    }
  }

  /**
   * A server that was down when the gateway started and comes back is used from its first
   * answer on: the outages before it do not open the breaker once calls succeed.
   */
  @Test
  void serverBackAfterFailures_successesNeverOpenTheBreaker(RedisServer server) {
    server.kill();
    gateway = new RedisGateway(server.url(), LONG_TIMEOUT);
    for (int i = 0; i < RedisGateway.WINDOW - 1; i++) {
      assertThatThrownBy(() -> gateway.execute(c -> c.ping()))
          .isInstanceOf(RedisUnavailableException.class);
    }
    assertThat(gateway.state()).isEqualTo(RedisGateway.State.CLOSED);

    server.start();

    for (int i = 0; i < 3 * RedisGateway.WINDOW; i++) {
      assertThat(gateway.<String>execute(c -> c.ping())).as("call %d after the restart", i)
          .isEqualTo("PONG");
    }
    assertThat(gateway.state()).isEqualTo(RedisGateway.State.CLOSED);
  }

  /**
   * A command already sent when the server dies fails at once with the lost connection, rather
   * than wait for the timeout, and is not replayed on the restarted server.
   */
  @Test
  void inFlightCommand_whenServerDies_failsAtOnce_andIsNotReplayed(RedisServer server)
      throws Exception {
    gateway = new RedisGateway(server.url(), LONG_TIMEOUT);
    assertThat(gateway.<String>execute(c -> c.ping())).isEqualTo("PONG");
    CompletableFuture<Throwable> outcome;
    long start;
    try (Admin admin = new Admin(server)) {
      admin.pauseWrites(10_000);
      start = System.nanoTime();
      outcome = inBackground(c -> c.set("in-flight", bytes("once")));
      admin.awaitReceived("set");
    }

    server.kill();

    Throwable failure = outcome.get(LONG_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    assertThat(failure).isInstanceOf(RedisUnavailableException.class);
    if (LETTUCE_MAJOR >= 7) {
      assertThat(elapsedMillis(start))
          .as("failed with the connection, not after the %s timeout", LONG_TIMEOUT)
          .isLessThan(LONG_TIMEOUT.toMillis() - 1_000);
    } else {
      // Lettuce 6 keeps a command in flight when its connection drops until its timeout.
      assertThat(elapsedMillis(start))
          .as("failed within the %s timeout", LONG_TIMEOUT)
          .isLessThan(LONG_TIMEOUT.toMillis() + 2_000);
    }

    server.start();

    awaitWorking();
    try (Admin admin = new Admin(server)) {
      assertThat(admin.redis.exists("in-flight")).isZero();
    }
  }

  /**
   * A connected server that does not answer: each call fails within the timeout, and the breaker
   * opens after a few, after which calls fail without waiting while the server is still paused.
   */
  @Test
  void pausedServer_callsFailWithinTimeout_thenBreakerOpens(RedisServer server) {
    Duration timeout = Duration.ofMillis(300);
    gateway = new RedisGateway(server.url(), timeout);
    assertThat(gateway.<String>execute(c -> c.ping())).isEqualTo("PONG");
    try (Admin admin = new Admin(server)) {
      admin.pauseWrites(6_000);
      try {
        // from several threads, as in a server: each thread waits out at most one timeout
        for (int i = 0; i < RedisGateway.WINDOW; i++) {
          long start = System.nanoTime();
          Throwable failure = inBackground(c -> c.set("k", bytes("v"))).join();
          assertThat(failure).isInstanceOf(RedisUnavailableException.class);
          assertThat(elapsedMillis(start)).isLessThan(timeout.toMillis() + 700);
        }
        assertThat(gateway.state()).isEqualTo(RedisGateway.State.OPEN);

        long start = System.nanoTime();
        assertThatThrownBy(() -> gateway.execute(c -> c.set("k", bytes("v"))))
            .isInstanceOf(RedisUnavailableException.class)
            .hasMessageContaining("not sent");
        assertThat(elapsedMillis(start)).isLessThan(timeout.toMillis());
      } finally {
        admin.unpause();
      }
    }
    awaitWorking();
  }

  /**
   * With a slow server, commands that wait for their reply are bounded by the request queue size:
   * beyond it a command is rejected at once instead of piling up.
   */
  @Test
  void fullRequestQueue_rejectsAtOnce(RedisServer server) throws Exception {
    gateway = new RedisGateway(server.url(), LONG_TIMEOUT, 2);
    assertThat(gateway.<String>execute(c -> c.ping())).isEqualTo("PONG");
    try (Admin admin = new Admin(server)) {
      admin.pauseWrites(10_000);
      CompletableFuture<Throwable> first;
      CompletableFuture<Throwable> second;
      try {
        first = inBackground(c -> c.set("a", bytes("1")));
        second = inBackground(c -> c.set("b", bytes("2")));
        // Lettuce hands commands to the connection's event loop in order, so once both callers
        // wait for their reply, both commands are ahead of the next one.
        awaitWaitingForReply(2);

        long start = System.nanoTime();
        assertThatThrownBy(() -> gateway.execute(c -> c.set("c", bytes("3"))))
            .isInstanceOf(RedisUnavailableException.class)
            .hasMessageContaining("exceeded");
        assertThat(elapsedMillis(start)).isLessThan(1_000);
      } finally {
        admin.unpause();
      }
      assertThat(first.get(10, TimeUnit.SECONDS)).isNull();
      assertThat(second.get(10, TimeUnit.SECONDS)).isNull();
      assertThat(admin.redis.exists("a", "b", "c")).isEqualTo(2);
    }
  }

  @Test
  void closedGateway_failsWithRedisUnavailable(RedisServer server) {
    gateway = new RedisGateway(server.url(), Duration.ofSeconds(1));
    gateway.execute(c -> c.ping());
    gateway.close();

    assertThatThrownBy(() -> gateway.execute(c -> c.ping()))
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining("closed");
  }

  /** Runs {@code command} on a new thread, as another caller would; completes with its failure. */
  private CompletableFuture<Throwable> inBackground(
      Function<RedisClusterCommands<String, byte[]>, ?> command) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            gateway.execute(command);
            return null;
          } catch (RuntimeException e) {
            return e;
          }
        },
        task -> {
          Thread t = new Thread(task, "caller-" + threads.size());
          threads.add(t);
          t.start();
        });
  }

  /** Waits until {@code n} background callers are blocked waiting for Lettuce's reply. */
  private void awaitWaitingForReply(int n) {
    Await.until(
        Duration.ofSeconds(5),
        () -> n + " callers waiting for a reply",
        () ->
            threads.stream()
                    .filter(
                        t ->
                            t.getState() == Thread.State.TIMED_WAITING
                                && Arrays.stream(t.getStackTrace())
                                    .anyMatch(f -> f.getClassName().startsWith("io.lettuce.")))
                    .count()
                >= n);
  }

  private void awaitWorking() {
    Await.until(
        RECOVERY,
        () -> "the gateway works again (breaker " + gateway.state() + ")",
        () -> {
          try {
            return "PONG".equals(gateway.execute(c -> c.ping()))
                && gateway.state() == RedisGateway.State.CLOSED;
          } catch (RedisUnavailableException e) {
            return false;
          }
        });
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static long elapsedMillis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** A plain Lettuce connection of the test's own, beside the gateway's. */
  private static final class Admin implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    final RedisCommands<String, String> redis;

    Admin(RedisServer server) {
      client = RedisClient.create(server.url());
      connection = client.connect();
      redis = connection.sync();
    }

    /**
     * Holds every client's write commands (and scripts) for {@code millis}: {@code CLIENT PAUSE
     * millis WRITE}, Redis 6.2+. Reads, CLIENT LIST and CLIENT UNPAUSE still run, which {@code
     * CLIENT PAUSE ... ALL} would hold too.
     */
    void pauseWrites(long millis) {
      redis.dispatch(
          CommandType.CLIENT,
          new StatusOutput<>(StringCodec.UTF8),
          new CommandArgs<>(StringCodec.UTF8).add("PAUSE").add(millis).add("WRITE"));
    }

    /** Ends a CLIENT PAUSE (Lettuce has no method for CLIENT UNPAUSE, Redis 6.2+). */
    void unpause() {
      redis.dispatch(
          CommandType.CLIENT,
          new StatusOutput<>(StringCodec.UTF8),
          new CommandArgs<>(StringCodec.UTF8).add("UNPAUSE"));
    }

    /**
     * Waits until another client's pending command is {@code command}: the server has read it and
     * holds it because of CLIENT PAUSE.
     */
    void awaitReceived(String command) {
      String me = "id=" + redis.clientId() + " ";
      Await.until(
          Duration.ofSeconds(5),
          () -> "a client with cmd=" + command + " in\n" + redis.clientList(),
          () ->
              redis.clientList().lines()
                  .anyMatch(l -> !l.startsWith(me) && l.contains(" cmd=" + command + " ")));
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown();
    }
  }
}
