package dev.weft.outage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Where Redis is down, caching calls through, but callers of one key in one process still share
 * one load: an outage must not turn a stampede on Redis into a stampede on the database.
 */
class FailOpenSingleFlightTest {

  @Test
  void redisDown_concurrentCallersOfOneKey_shareOneLoad() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    // Nothing listens on port 1: every connect is refused at once.
    try (Weft weft = Weft.builder().redisUrl("redis://127.0.0.1:1")
        .commandTimeout(Duration.ofMillis(200)).build()) {
      ExecutorService callers = Executors.newFixedThreadPool(16);
      try {
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          results.add(callers.submit(() -> {
            go.await();
            return weft.cached("down:key", Duration.ofMinutes(1), String.class, () -> {
              loads.incrementAndGet();
              try {
                Thread.sleep(1_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return "loaded";
            });
          }));
        }
        go.countDown();
        for (Future<String> result : results) {
          assertThat(result.get()).isEqualTo("loaded");
        }
      } finally {
        callers.shutdownNow();
      }
    }
    assertThat(loads.get()).isEqualTo(1);
  }
}
