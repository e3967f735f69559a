package dev.weft.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.test.RedisCluster;
import dev.weft.test.WeftRedisCluster;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Queues on the 3-master cluster: all keys of a queue share its hash tag, so offer, take (with
 * its sweep), ack and the waiting taker's wake-up work on whichever node holds the queue.
 */
@WeftRedisCluster
class ClusterReliableQueueTest {

  private Weft weft;

  @BeforeEach
  void start(RedisCluster cluster) {
    weft = Weft.builder().redisUrl(cluster.url()).build();
  }

  @AfterEach
  void stop() {
    weft.close();
  }

  @Test
  void queuesOnEveryNode_offerTakeAckAndRedeliver() throws Exception {
    Set<Integer> nodes = new HashSet<>();
    QueueOptions options = QueueOptions.defaults().visibilityTimeout(Duration.ofMillis(300));
    for (int q = 0; q < 12; q++) {
      ReliableQueue<String> queue = weft.queue("queue-" + q, String.class, options);
      nodes.add(SlotHash.getSlot("weft:q:{queue-" + q + "}:ready") * 3 / SlotHash.SLOT_COUNT);
      queue.offer("a");
      queue.offer("b");

      Delivery<String> a = queue.take(Duration.ofSeconds(1)).orElseThrow();
      assertThat(a.payload()).as("queue %d", q).isEqualTo("a");
      assertThat(queue.ack(a)).isTrue();

      Delivery<String> b = queue.take(Duration.ofSeconds(1)).orElseThrow();
      Delivery<String> again = queue.take(Duration.ofSeconds(5)).orElseThrow();
      assertThat(again.messageId()).as("unacked, so redelivered").isEqualTo(b.messageId());
      assertThat(queue.ack(b)).isFalse();
      assertThat(queue.ack(again)).isTrue();
      assertThat(queue.size() + queue.inFlight()).isZero();
    }
    assertThat(nodes).as("the queues' slots cover all three masters").hasSize(3);
  }
}
