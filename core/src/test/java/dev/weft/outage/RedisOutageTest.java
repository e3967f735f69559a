package dev.weft.outage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 3, "When Redis fails": through the programmatic API, a cached call returns its real result
 * while Redis is killed, stopped or paused, within a bounded time; the gateway's circuit breaker
 * then stops it from waiting on Redis at all, logs the outage once, and caching resumes by itself
 * when Redis is back.
 */
@WeftRedis
class RedisOutageTest {

  /** Short, so that the slow-server case is quick; the default is {@link Weft#DEFAULT_COMMAND_TIMEOUT}. */
  private static final Duration TIMEOUT = Duration.ofMillis(400);

  /** What a call may take beyond the timeout: scheduling on a busy 2-core build machine. */
  private static final Duration MARGIN = Duration.ofMillis(500);

  /** Generous: Lettuce's reconnect delay (at most 2 s) plus the breaker's wait (1 s) plus slack. */
  private static final Duration RECOVERY = Duration.ofSeconds(15);

  private static final Duration TTL = Duration.ofMinutes(5);

  /** Long enough for the breaker to open and for calls to be measured while it is open. */
  private static final Duration PAUSE = Duration.ofSeconds(8);

  private Weft weft;
  private RedisGateway gateway;
  private final AtomicInteger loads = new AtomicInteger();

  @BeforeEach
  void build(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).commandTimeout(TIMEOUT).build();
    gateway = WeftAccess.redis(weft);
  }

  @AfterEach
  void close() {
    weft.close();
  }

  @Test
  void kill_callsGoThroughWithinTimeout_breakerOpens_cachingResumesAfterRestart(RedisServer server) {
    outage(server, RedisServer::kill);
  }

  @Test
  void stop_callsGoThroughWithinTimeout_breakerOpens_cachingResumesAfterRestart(RedisServer server) {
    outage(server, RedisServer::stop);
  }

  private void outage(RedisServer server, Consumer<RedisServer> takeDown) {
    assertThat(price("kb")).isEqualTo(8900L);
    assertThat(price("kb")).isEqualTo(8900L);
    assertThat(loads).as("the second call is a hit").hasValue(1);

    takeDown.accept(server);

    List<Long> millis = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      long start = System.nanoTime();
      Long price = price("kb");
      long took = elapsedMillis(start);
      millis.add(took);
      assertThat(price).isEqualTo(8900L);
      assertThat(loads).as("the loader runs on every call while Redis is down").hasValue(1 + i);
      assertThat(took).as("call %d took", i).isLessThan(TIMEOUT.plus(MARGIN).toMillis());
    }
    assertThat(gateway.state()).isEqualTo(RedisGateway.State.OPEN);
    assertThat(gateway.isAvailable()).isFalse();
    assertThat(median(millis.subList(10, 20)))
        .as("calls while the breaker is open do not touch the network: %s", millis)
        .isLessThan(50);

    server.start();

    awaitCachingResumes();
    assertThat(gateway.state()).isEqualTo(RedisGateway.State.CLOSED);
    assertThat(gateway.isAvailable()).isTrue();
  }

  /**
   * A server that accepts commands but does not answer (CLIENT PAUSE): each call waits out one
   * timeout at most and returns the loader's result; after a few such calls the breaker opens and
   * calls stop waiting, while the server is still paused.
   */
  @Test
  void pausedServer_callReturnsThroughLoaderWithinTimeout_thenBreakerStopsWaiting(RedisServer server) {
    assertThat(price("mouse")).isEqualTo(8900L);
    pauseAllClients(server);

    long start = System.nanoTime();
    assertThat(price("mouse")).isEqualTo(8900L);
    assertThat(elapsedMillis(start)).isLessThan(TIMEOUT.plus(MARGIN).toMillis());
    assertThat(loads).as("the loader ran because Redis did not answer").hasValue(2);

    // A thread that has just waited out a timeout does not wait again for one timeout, so a
    // single caller records about one failure per two timeouts: the breaker opens within about
    // 2 * 5 timeouts (4 s), inside the pause.
    long pausedAt = System.nanoTime();
    while (gateway.state() != RedisGateway.State.OPEN) {
      assertThat(elapsedMillis(pausedAt))
          .as("ms before the breaker opened")
          .isLessThan(PAUSE.toMillis() - 1_500);
      start = System.nanoTime();
      assertThat(price("mouse")).isEqualTo(8900L);
      assertThat(elapsedMillis(start)).isLessThan(TIMEOUT.plus(MARGIN).toMillis());
      pause(Duration.ofMillis(10));
    }

    List<Long> open = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      start = System.nanoTime();
      assertThat(price("mouse")).isEqualTo(8900L);
      open.add(elapsedMillis(start));
    }
    assertThat(median(open))
        .as("calls while open do not wait on the paused server: %s", open)
        .isLessThan(50);

    awaitCachingResumes();
    assertThat(gateway.state()).isEqualTo(RedisGateway.State.CLOSED);
  }

  /**
   * {@code CLIENT PAUSE} for {@link #PAUSE}, all commands: the server keeps its connections but
   * answers nothing. It holds every client, the pausing one and its CLIENT UNPAUSE too, so the
   * pause ends by itself.
   */
  private static void pauseAllClients(RedisServer server) {
    RedisClient admin = RedisClient.create(server.url());
    try (StatefulRedisConnection<String, String> c = admin.connect()) {
      c.sync().clientPause(PAUSE.toMillis());
    } finally {
      admin.shutdown();
    }
  }

  /**
   * An outage of many calls, long enough for the breaker to probe several times, logs one WARN
   * from Weft, not one per call; the end of the outage logs one INFO.
   */
  @Test
  void outageOfManyCalls_logsOneWarning_andOneRecovery(RedisServer server) {
    assertThat(price("pen")).isEqualTo(8900L);
    int calls = 0;
    List<String> weftWarnings;
    List<String> allWarnings;
    List<String> recoveries;
    try (LogCapture logs = LogCapture.start()) {
      server.kill();
      long start = System.nanoTime();
      // several of the breaker's 1 s waits, so that half-open probes fail and re-open it
      while (elapsedMillis(start) < 3_500) {
        assertThat(price("pen")).isEqualTo(8900L);
        calls++;
        pause(Duration.ofMillis(20));
      }
      assertThat(gateway.state()).isEqualTo(RedisGateway.State.OPEN);
      weftWarnings = logs.lines("WARN", "dev.weft.");
      allWarnings = logs.lines("WARN", "");

      server.start();
      awaitCachingResumes();
      recoveries = logs.lines("INFO", "dev.weft.internal.redis.RedisGateway").stream()
          .filter(l -> l.contains("answers again"))
          .toList();
    }

    assertThat(calls).isGreaterThan(50);
    assertThat(weftWarnings).as("Weft's warnings during %d calls", calls).hasSize(1);
    assertThat(weftWarnings.get(0))
        .contains("RedisGateway")
        .contains("unavailable")
        .contains(server.url());
    // Lettuce logs each connection's first failed reconnect at WARN, the later ones at DEBUG; the
    // runtime has two connections (its commands and the change feed).
    assertThat(allWarnings).as("all warnings during %d calls", calls).hasSizeLessThanOrEqualTo(3);
    assertThat(recoveries).hasSize(1);
  }

  private void awaitCachingResumes() {
    Await.until(
        RECOVERY,
        () -> "caching resumes (breaker " + gateway.state() + ")",
        () -> {
          price("resume");
          int before = loads.get();
          price("resume");
          return loads.get() == before && gateway.state() == RedisGateway.State.CLOSED;
        });
  }

  private Long price(String sku) {
    return weft.cached("price:" + sku, TTL, Long.class, () -> {
      loads.incrementAndGet();
      return 8900L;
    });
  }

  private static long elapsedMillis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  /** Spaces calls out, so that an outage spans the breaker's wait with a modest number of calls. */
  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
