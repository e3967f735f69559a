package dev.weft.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.lock.LockLease;
import dev.weft.lock.WeftLock;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code weft.lock.acquisitions} by outcome: a lock found taken and not waited for is {@code busy},
 * one still taken after a wait is a {@code timeout}; dashboards alert on the second, not the first
 * (a SKIP-mode job on several instances is busy every time but one).
 */
@WeftRedis
class LockMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Weft weft;

  @BeforeEach
  void start(RedisServer server) {
    Metrics.addRegistry(registry);
    weft = Weft.builder().redisUrl(server.url()).build();
  }

  @AfterEach
  void stop() {
    weft.close();
    Metrics.removeRegistry(registry);
  }

  @Test
  void notWaitedFor_isBusy_waitedInVain_isATimeout() throws Exception {
    WeftLock lock = weft.lock("metrics:job");
    double acquired = count("acquired");
    double busy = count("busy");
    double timeout = count("timeout");

    try (LockLease held = lock.acquire(Duration.ZERO)) {
      // another thread, so the holder's own re-entry does not answer
      CompletableFuture.runAsync(() -> {
        assertThat(lock.tryAcquire()).isEmpty();
        assertThat(lock.tryAcquire(Duration.ofMillis(50))).isEmpty();
      }).get();
    }

    assertThat(count("acquired") - acquired).isEqualTo(1.0);
    assertThat(count("busy") - busy).isEqualTo(1.0);
    assertThat(count("timeout") - timeout).isEqualTo(1.0);
  }

  private double count(String outcome) {
    var counter = registry.find("weft.lock.acquisitions").tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }
}
