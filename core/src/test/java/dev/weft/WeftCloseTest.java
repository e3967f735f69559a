package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.lock.LockLease;
import dev.weft.pubsub.Subscriber;
import dev.weft.stream.ConsumerOptions;
import dev.weft.stream.StreamConsumers;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import dev.weft.writebehind.WriteBehind;
import dev.weft.writebehind.WriteBehindOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Weft#close()} releases the runtime's locks, then flushes its write-behinds, then stops
 * its listeners, and only then closes its connections.
 */
@WeftRedis
class WeftCloseTest {

  private Weft weft;
  private Weft observer;

  @BeforeEach
  void start(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
    observer = Weft.builder().redisUrl(server.url()).build();
  }

  @AfterEach
  void stop() {
    weft.close();
    observer.close();
  }

  @Test
  void close_releasesHeldLocks_soAnotherProcessTakesThemAtOnce() {
    LockLease held = weft.lock("close:lock").tryAcquire().orElseThrow();

    weft.close();

    Optional<LockLease> taken = observer.lock("close:lock").tryAcquire();
    assertThat(taken).as("taken at once, not at the end of the 30 s lease").isPresent();
    assertThat(held.isHeld()).isFalse();
    held.close();
    assertThat(taken.get().isHeld()).as("the old holder's release does nothing").isTrue();
    taken.get().close();
  }

  @Test
  void close_flushesWriteBehindAfterReleasingLocks_beforeClosingConnections(RedisServer server)
      throws Exception {
    weft.lock("close:wb-lock").tryAcquire().orElseThrow();
    CountDownLatch persisting = new CountDownLatch(1);
    List<String> persisted = new CopyOnWriteArrayList<>();
    WriteBehind<String> orders =
        weft.writeBehind("close-wb", String.class, (key, value) -> {
          persisting.countDown();
          Await.until(Duration.ofSeconds(5), () -> "close released the lock first",
              () -> tookAndReleased("close:wb-lock"));
          persisted.add(value);
        }, WriteBehindOptions.defaults().ttl("1m"));
    orders.write("close:order:1", "order 1");
    assertThat(persisting.await(10, TimeUnit.SECONDS)).isTrue();

    weft.close();

    assertThat(persisted).containsExactly("order 1");
    RedisClient client = RedisClient.create(server.url());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().xlen(orders.stream()))
          .as("acknowledged and deleted while the connections were open")
          .isZero();
    } finally {
      client.shutdown();
    }
  }

  @Test
  void close_stopsTheSubscribersAndStreamConsumersMadeFromTheRuntime() {
    Subscriber subscriber = weft.subscriber();
    subscriber.subscribe("close:channel", String.class, message -> {});
    StreamConsumers consumers = weft.streamConsumers();
    consumers.listen("close:stream", "group", String.class, ConsumerOptions.defaults(),
        (message, id) -> {});

    weft.close();

    assertThatThrownBy(() -> subscriber.subscribe("close:other", String.class, message -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this subscriber is closed");
    assertThatThrownBy(() -> consumers.listen("close:stream", "group", String.class,
            ConsumerOptions.defaults(), (message, id) -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("these stream consumers are closed");
  }

  private boolean tookAndReleased(String lock) {
    Optional<LockLease> lease = observer.lock(lock).tryAcquire();
    lease.ifPresent(LockLease::close);
    return lease.isPresent();
  }
}
