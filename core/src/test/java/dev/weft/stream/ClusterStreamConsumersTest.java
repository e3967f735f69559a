package dev.weft.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.test.Await;
import dev.weft.test.RedisCluster;
import dev.weft.test.WeftRedisCluster;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streams on the 3-master cluster: each stream key lives in one slot, so its group, blocking
 * reads, claims and acknowledgements run on whichever node holds it; its dead-letter stream may
 * live on another node.
 */
@WeftRedisCluster
class ClusterStreamConsumersTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  record Tick(int n) {}

  private Weft weft;
  private StreamConsumers consumers;

  @BeforeEach
  void start(RedisCluster cluster) {
    weft = Weft.builder().redisUrl(cluster.url()).build();
  }

  @AfterEach
  void stop() {
    if (consumers != null) {
      consumers.close();
    }
    weft.close();
  }

  @Test
  void streamsOnEveryNode_processedAndDeadLettered() {
    consumers = weft.streamConsumers();
    Set<Integer> nodes = new HashSet<>();
    Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
    int streams = 6;
    for (int s = 0; s < streams; s++) {
      String key = "ticks-" + s;
      nodes.add(SlotHash.getSlot(key) * 3 / SlotHash.SLOT_COUNT);
      processed.put(key, new AtomicInteger());
      consumers.listen(key, "g", Tick.class,
          ConsumerOptions.defaults().minIdle(Duration.ofMillis(200)).maxDeliveries(2),
          (tick, id) -> {
            if (tick.n() < 0) {
              throw new IllegalStateException("negative tick");
            }
            processed.get(key).incrementAndGet();
          });
    }
    for (int s = 0; s < streams; s++) {
      StreamProducer<Tick> producer = weft.streamProducer("ticks-" + s, Tick.class);
      for (int i = 0; i < 10; i++) {
        producer.add(new Tick(i));
      }
      producer.add(new Tick(-1));
    }
    for (int s = 0; s < streams; s++) {
      String key = "ticks-" + s;
      StreamProducer<Tick> producer = weft.streamProducer(key, Tick.class);
      Await.until(WAIT, () -> key + ": 10 processed and 1 dead letter",
          () -> processed.get(key).get() == 10 && producer.deadLetters(5).size() == 1);
      assertThat(producer.deadLetters(5).get(0).deliveries()).isEqualTo(2);
    }
    assertThat(nodes).as("the streams' slots cover all three masters").hasSize(3);
  }
}
