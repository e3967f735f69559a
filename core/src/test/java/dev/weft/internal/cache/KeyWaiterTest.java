package dev.weft.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.internal.redis.RedisConnections;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link KeyWaiter} on a real change feed: woken by a publish, bounded by its pace and deadline. */
@WeftRedis
class KeyWaiterTest {

  private static final Duration LONG = Duration.ofSeconds(10);
  private static final KeyWaiter.Pace TRUSTING =
      new KeyWaiter.Pace(Duration.ofMillis(10), Duration.ofMillis(40), LONG);

  private final RedisConnections connections = new RedisConnections();
  private ChangeFeed feed;
  private RedisGateway redis;

  @BeforeEach
  void open(RedisServer server) {
    feed = new ChangeFeed(connections, server.url(), Duration.ofSeconds(2));
    redis = new RedisGateway(server.url(), Duration.ofSeconds(2));
  }

  @AfterEach
  void close() {
    feed.close();
    redis.close();
    connections.close();
  }

  @Test
  void await_keyPublishedAfterListen_wakesLongBeforeTheBound() throws Exception {
    awaitLive();
    KeyWaiter waiter = KeyWaiter.on(feed, "k", deadlineIn(LONG.multipliedBy(2)), TRUSTING);
    waiter.listen();
    publish("k");

    long start = System.nanoTime();
    assertThat(waiter.await()).isTrue();
    assertThat(millisSince(start)).as("woken by the publish, not the 10 s bound").isLessThan(5_000);
  }

  @Test
  void await_otherKeyPublished_sleepsToTheCallersBound() throws Exception {
    awaitLive();
    KeyWaiter waiter = KeyWaiter.on(feed, "k", deadlineIn(LONG), TRUSTING);
    waiter.listen();
    publish("other");

    long start = System.nanoTime();
    assertThat(waiter.await(300)).isTrue();
    assertThat(millisSince(start)).isBetween(250L, 5_000L);
  }

  @Test
  void await_deadlinePassed_returnsFalseAtOnce() throws Exception {
    KeyWaiter waiter = KeyWaiter.on(feed, "k", System.nanoTime(), TRUSTING);
    waiter.listen();

    long start = System.nanoTime();
    assertThat(waiter.await()).isFalse();
    assertThat(millisSince(start)).isLessThan(1_000);
  }

  @Test
  void await_neverOutlastsTheDeadline() throws Exception {
    awaitLive();
    KeyWaiter waiter = KeyWaiter.on(feed, "k", deadlineIn(Duration.ofMillis(200)), TRUSTING);
    waiter.listen();

    long start = System.nanoTime();
    assertThat(waiter.await()).isTrue();
    assertThat(millisSince(start)).isBetween(150L, 5_000L);
    waiter.listen();
    assertThat(waiter.await()).isFalse();
  }

  @Test
  void await_feedDown_pollsWithDoublingIntervalUpToTheMaximum() throws Exception {
    try (ChangeFeed down = new ChangeFeed(connections, deadUrl(), Duration.ofMillis(500))) {
      KeyWaiter waiter = KeyWaiter.on(down, "k", deadlineIn(LONG), TRUSTING);
      long[] seen = new long[4];
      long start = System.nanoTime();
      for (int i = 0; i < seen.length; i++) {
        waiter.listen();
        assertThat(waiter.await()).isTrue();
        seen[i] = waiter.pollMillis();
      }
      assertThat(seen).containsExactly(20, 40, 40, 40);
      assertThat(millisSince(start)).as("10 + 20 + 40 + 40 ms, not the live bound")
          .isBetween(100L, 5_000L);
    }
  }

  @Test
  void await_paceWithoutLiveBound_pollsWhileTheFeedIsLive() throws Exception {
    awaitLive();
    KeyWaiter.Pace polling = new KeyWaiter.Pace(Duration.ofMillis(20), Duration.ofMillis(80), null);
    KeyWaiter waiter = KeyWaiter.on(feed, "k", deadlineIn(LONG), polling);
    waiter.listen();

    long start = System.nanoTime();
    assertThat(waiter.await()).isTrue();
    assertThat(millisSince(start)).isLessThan(5_000);
    assertThat(waiter.pollMillis()).isEqualTo(40);
  }

  @Test
  void await_changeWakes_intervalDoesNotGrow() throws Exception {
    awaitLive();
    KeyWaiter.Pace polling = new KeyWaiter.Pace(Duration.ofSeconds(5), Duration.ofSeconds(20), null);
    KeyWaiter waiter = KeyWaiter.on(feed, "k", deadlineIn(LONG.multipliedBy(2)), polling);
    waiter.listen();
    publish("k");

    assertThat(waiter.await()).isTrue();
    assertThat(waiter.pollMillis()).isEqualTo(5_000);
  }

  @Test
  void await_interrupted_throwsAndClearsTheFlag() {
    KeyWaiter waiter = KeyWaiter.on(feed, "k", deadlineIn(LONG), TRUSTING);
    waiter.listen();
    Thread.currentThread().interrupt();

    assertThatThrownBy(waiter::await).isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();

    Thread.currentThread().interrupt();
    assertThatThrownBy(waiter::await).as("without listening first")
        .isInstanceOf(InterruptedException.class);
  }

  @Test
  void pace_badBounds_rejected() {
    assertThatThrownBy(() -> new KeyWaiter.Pace(Duration.ZERO, Duration.ofMillis(1), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new KeyWaiter.Pace(Duration.ofMillis(10), Duration.ofMillis(5), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new KeyWaiter.Pace(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void awaitLive() {
    Await.until(Duration.ofSeconds(10), () -> "change feed live", feed::live);
  }

  private void publish(String key) {
    redis.execute(
        c -> c.publish(feed.channel(), key.getBytes(StandardCharsets.UTF_8)));
  }

  private static long deadlineIn(Duration d) {
    return System.nanoTime() + d.toNanos();
  }

  private static long millisSince(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  /** @return a URL where nothing listens */
  private static String deadUrl() throws IOException {
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "redis://127.0.0.1:" + free.getLocalPort();
    }
  }
}
