package dev.weft.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Weft;
import dev.weft.test.Await;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ReliableQueue} against a real Redis: order, leases, redelivery after the visibility
 * timeout, refused late acknowledgements, dead letters, capacity, waiting takers.
 */
@WeftRedis
class ReliableQueueTest {

  private static final QueueOptions MINUTE = QueueOptions.defaults().visibilityTimeout(
      Duration.ofMinutes(1));

  record Job(int id, String name) {}

  private Weft weft;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;

  @BeforeEach
  void connect(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
    client = RedisClient.create(server.url());
    connection = client.connect();
    redis = connection.sync();
  }

  @AfterEach
  void close() {
    connection.close();
    client.shutdown();
    weft.close();
  }

  @Test
  void offerTakeAck_firstInFirstOut_ackRemovesOnce() throws Exception {
    ReliableQueue<String> queue = weft.queue("fifo", String.class, MINUTE);
    queue.offer("a");
    queue.offer("b");
    queue.offer("c");
    assertThat(queue.size()).isEqualTo(3);

    List<Delivery<String>> taken = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      taken.add(queue.take(Duration.ofSeconds(1)).orElseThrow());
    }
    assertThat(taken).extracting(Delivery::payload).containsExactly("a", "b", "c");
    assertThat(taken).extracting(Delivery::attempt).containsOnly(1);
    assertThat(queue.size()).isZero();
    assertThat(queue.inFlight()).isEqualTo(3);

    assertThat(queue.ack(taken.get(1))).isTrue();
    assertThat(queue.ack(taken.get(1))).as("a second ack of the same delivery").isFalse();
    assertThat(queue.ack(taken.get(0))).isTrue();
    assertThat(queue.ack(taken.get(2))).isTrue();
    assertThat(queue.inFlight()).isZero();
    assertThat(queue.poll()).isEmpty();
    assertThat(redis.keys("weft:q:*")).as("nothing left behind").isEmpty();
  }

  @Test
  void equalPayloads_areDistinctDeliveries() {
    ReliableQueue<String> queue = weft.queue("dupes", String.class, MINUTE);
    queue.offer("same");
    queue.offer("same");

    Delivery<String> first = queue.poll().orElseThrow();
    Delivery<String> second = queue.poll().orElseThrow();

    assertThat(first.messageId()).isNotEqualTo(second.messageId());
    assertThat(queue.ack(first)).isTrue();
    assertThat(queue.inFlight()).as("acking one leaves the other in flight").isEqualTo(1);
    assertThat(queue.ack(second)).isTrue();
  }

  @Test
  void typedQueue_holdsPlainJson() {
    ReliableQueue<Job> queue = weft.queue("jobs", Job.class, MINUTE);
    queue.offer(new Job(7, "resize"));

    assertThat(redis.hvals("weft:q:{jobs}:items"))
        .containsExactly("{\"id\":7,\"name\":\"resize\"}");
    Delivery<Job> delivery = queue.poll().orElseThrow();
    assertThat(delivery.payload()).isEqualTo(new Job(7, "resize"));
    assertThat(queue.ack(delivery)).isTrue();
  }

  @Test
  void unackedItem_notRedeliveredWithinLease_reappearsAfterIt() throws Exception {
    QueueOptions options = QueueOptions.defaults().visibilityTimeout(Duration.ofMillis(800));
    ReliableQueue<String> queue = weft.queue("lease", String.class, options);
    queue.offer("job");
    Delivery<String> first = queue.poll().orElseThrow();

    // while the lease runs (by Redis's clock) nobody else gets the item
    while (redisNow().isBefore(first.leaseDeadline().minusMillis(50))) {
      assertThat(queue.poll()).isEmpty();
      Thread.sleep(20);
    }

    Delivery<String> second = queue.take(Duration.ofSeconds(5)).orElseThrow();
    Instant redeliveredBy = redisNow();
    assertThat(second.messageId()).isEqualTo(first.messageId());
    assertThat(second.payload()).isEqualTo("job");
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(redeliveredBy).isAfterOrEqualTo(first.leaseDeadline());
    assertThat(second.leaseDeadline()).isAfter(first.leaseDeadline());

    assertThat(queue.ack(first)).as("the expired, redelivered delivery").isFalse();
    assertThat(queue.ack(second)).isTrue();
    assertThat(queue.poll()).isEmpty();
  }

  @Test
  void ackAfterLeaseExpired_refusedEvenBeforeSweep_itemComesBack() throws Exception {
    QueueOptions options = QueueOptions.defaults().visibilityTimeout(Duration.ofMillis(200));
    ReliableQueue<String> queue = weft.queue("late", String.class, options);
    queue.offer("job");
    Delivery<String> first = queue.poll().orElseThrow();
    Await.until(Duration.ofSeconds(10), () -> "Redis's clock past the lease's deadline",
        () -> redisNow().isAfter(first.leaseDeadline()));

    assertThat(queue.ack(first)).isFalse();
    assertThat(queue.poll()).get().extracting(Delivery::attempt).isEqualTo(2);
  }

  @Test
  void requeueExpired_returnsItemsWithoutConsumers() throws Exception {
    QueueOptions options = QueueOptions.defaults().visibilityTimeout(Duration.ofMillis(100));
    ReliableQueue<String> queue = weft.queue("sweep", String.class, options);
    queue.offer("x");
    queue.offer("y");
    Delivery<String> x = queue.poll().orElseThrow();
    awaitRedisTimePast(x.leaseDeadline());

    assertThat(queue.requeueExpired()).isEqualTo(1);
    assertThat(queue.size()).isEqualTo(2);
    assertThat(queue.inFlight()).isZero();
    assertThat(queue.poll().orElseThrow().messageId())
        .as("an expired item goes back to the head of the queue").isEqualTo(x.messageId());
  }

  @Test
  void afterMaxDeliveries_expiredItemGoesToDeadLetters() throws Exception {
    QueueOptions options =
        QueueOptions.defaults().visibilityTimeout(Duration.ofMillis(100)).maxDeliveries(2);
    ReliableQueue<String> queue = weft.queue("poison", String.class, options);
    queue.offer("poison");
    queue.offer("fine");

    Delivery<String> first = queue.poll().orElseThrow();
    assertThat(first.payload()).isEqualTo("poison");
    awaitRedisTimePast(first.leaseDeadline());
    Delivery<String> again = queue.poll().orElseThrow();
    assertThat(again.payload()).isEqualTo("poison");
    assertThat(again.attempt()).isEqualTo(2);
    awaitRedisTimePast(again.leaseDeadline());

    Delivery<String> fine = queue.poll().orElseThrow();
    assertThat(fine.payload()).as("the poison item did not come back").isEqualTo("fine");
    assertThat(queue.ack(fine)).isTrue();
    assertThat(queue.deadLetters(10)).containsExactly("poison");
    assertThat(queue.size()).isZero();
    assertThat(queue.inFlight()).isZero();
  }

  @Test
  void fullQueue_refusesOffers_untilAnItemIsAcked() {
    ReliableQueue<String> queue = weft.queue("small", String.class, MINUTE.capacity(2));
    assertThat(queue.offer("1")).isTrue();
    assertThat(queue.offer("2")).isTrue();
    assertThat(queue.offer("3")).isFalse();

    Delivery<String> one = queue.poll().orElseThrow();
    assertThat(queue.offer("3")).as("an item in flight still counts").isFalse();
    queue.ack(one);
    assertThat(queue.offer("3")).isTrue();
  }

  @Test
  void waitingTaker_wakesWhenAnItemIsOffered() throws Exception {
    ReliableQueue<String> queue = weft.queue("wake", String.class, MINUTE);
    CompletableFuture<Optional<Delivery<String>>> taker = CompletableFuture.supplyAsync(() -> {
      try {
        return queue.take(Duration.ofSeconds(20));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(300);
    assertThat(taker).isNotDone();

    queue.offer("hello");

    assertThat(taker.get(10, TimeUnit.SECONDS)).get().extracting(Delivery::payload)
        .isEqualTo("hello");
  }

  @Test
  void waitingTaker_getsAnItemWhoseLeaseExpires_withoutScheduler() throws Exception {
    QueueOptions options = QueueOptions.defaults().visibilityTimeout(Duration.ofMillis(500));
    ReliableQueue<String> queue = weft.queue("crashed", String.class, options);
    queue.offer("orphan");
    Delivery<String> crashed = queue.poll().orElseThrow();  // its consumer never acks

    Delivery<String> rescued = queue.take(Duration.ofSeconds(10)).orElseThrow();

    assertThat(rescued.messageId()).isEqualTo(crashed.messageId());
    assertThat(rescued.attempt()).isEqualTo(2);
  }

  @Test
  void take_emptyQueue_returnsEmptyAfterWait() throws Exception {
    ReliableQueue<String> queue = weft.queue("empty", String.class, MINUTE);
    assertThat(queue.take(Duration.ofMillis(200))).isEmpty();
    assertThat(queue.take(Duration.ZERO)).isEmpty();
    assertThatThrownBy(() -> queue.take(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void invalidNames_andOptions_areRefusedWithTheFix() {
    assertThatThrownBy(() -> weft.queue("a b", String.class, MINUTE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("letters, digits");
    assertThatThrownBy(() -> QueueOptions.defaults().visibilityTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 ms");
    assertThatThrownBy(() -> MINUTE.capacity(0)).isInstanceOf(IllegalArgumentException.class);
  }

  private Instant redisNow() {
    List<String> time = redis.time();
    return Instant.ofEpochSecond(Long.parseLong(time.get(0)),
        Long.parseLong(time.get(1)) * 1_000);
  }

  /** Waits (bounded) until Redis's clock, the one leases are kept on, has passed {@code deadline}. */
  private void awaitRedisTimePast(Instant deadline) {
    Await.until(Duration.ofSeconds(10), () -> "Redis time past " + deadline, () -> {
      List<String> time = redis.time();
      Instant now = Instant.ofEpochSecond(Long.parseLong(time.get(0)),
          Long.parseLong(time.get(1)) * 1_000);
      return now.isAfter(deadline);
    });
  }
}
