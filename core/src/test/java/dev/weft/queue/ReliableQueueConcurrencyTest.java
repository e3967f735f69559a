package dev.weft.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Many consumers on one queue: every item is processed exactly once, none is lost. */
@WeftRedis
class ReliableQueueConcurrencyTest {

  private static final int ITEMS = 1_000;
  private static final int CONSUMERS = 8;

  private Weft weft;

  @BeforeEach
  void build(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
  }

  @AfterEach
  void close() {
    weft.close();
  }

  @Test
  void eightConsumers_thousandItems_eachProcessedOnce_noneLost() throws Exception {
    ReliableQueue<String> queue = weft.queue("work", String.class,
        QueueOptions.defaults().visibilityTimeout(Duration.ofMinutes(1)));
    Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
    AtomicInteger refusedAcks = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(CONSUMERS + 1);
    try {
      // the producer runs alongside the consumers, so some of them wait on an empty queue
      Future<?> producer = pool.submit(() -> {
        for (int i = 0; i < ITEMS; i++) {
          queue.offer("item-" + i);
        }
      });
      List<Future<?>> consumers = new ArrayList<>();
      for (int c = 0; c < CONSUMERS; c++) {
        consumers.add(pool.submit(() -> {
          while (true) {
            var delivery = queue.take(Duration.ofSeconds(2));
            if (delivery.isEmpty()) {
              return null;
            }
            processed.computeIfAbsent(delivery.get().payload(), k -> new AtomicInteger())
                .incrementAndGet();
            if (!queue.ack(delivery.get())) {
              refusedAcks.incrementAndGet();
            }
          }
        }));
      }
      producer.get();
      for (Future<?> consumer : consumers) {
        consumer.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(processed).hasSize(ITEMS);
    assertThat(processed.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(refusedAcks.get()).isZero();
    assertThat(queue.size()).isZero();
    assertThat(queue.inFlight()).isZero();
  }
}
