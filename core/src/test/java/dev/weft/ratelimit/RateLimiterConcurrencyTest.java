package dev.weft.ratelimit;

import dev.weft.annotation.RateLimitAlgorithm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.test.RedisServer;
import dev.weft.test.WeftRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 8 threads × 200 attempts on one key with a one-minute window: exactly {@code permits} granted.
 * For TOKEN_BUCKET and GCRA one permit comes back every 60 s / 20 = 3 s, far longer than the run,
 * so the burst is the whole grant.
 */
@WeftRedis
class RateLimiterConcurrencyTest {

  private static final int THREADS = 8;
  private static final int ATTEMPTS = 200;
  private static final long PERMITS = 20;
  private static final Duration WINDOW = Duration.ofMinutes(1);

  private Weft weft;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private ServerClock clock;
  private ExecutorService pool;

  @BeforeEach
  void connect(RedisServer server) {
    weft = Weft.builder().redisUrl(server.url()).build();
    client = RedisClient.create(server.url());
    connection = client.connect();
    clock = new ServerClock(connection.sync());
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterEach
  void close() {
    pool.shutdownNow();
    connection.close();
    client.shutdown();
    weft.close();
  }

  @ParameterizedTest
  @EnumSource(RateLimitAlgorithm.class)
  void concurrentAttemptsOnOneKey_grantExactlyPermits(RateLimitAlgorithm algorithm) throws Exception {
    Limit limit = Limit.of(algorithm, PERMITS, WINDOW);
    RateLimiter limiter = weft.rateLimiter(limit);
    limiter.tryAcquire("warm-up:" + algorithm + System.nanoTime());

    record Run(long allowed, long elapsedNanos) {}
    Run run =
        clock.withinOneWindow(
            WINDOW,
            key -> {
              AtomicLong allowed = new AtomicLong();
              CountDownLatch start = new CountDownLatch(1);
              List<Future<?>> workers = new ArrayList<>();
              for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                  start.await();
                  for (int i = 0; i < ATTEMPTS; i++) {
                    if (limiter.tryAcquire(key).allowed()) {
                      allowed.incrementAndGet();
                    }
                  }
                  return null;
                }));
              }
              long began = System.nanoTime();
              start.countDown();
              for (Future<?> worker : workers) {
                try {
                  worker.get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              }
              return new Run(allowed.get(), System.nanoTime() - began);
            });

    assertThat(Duration.ofNanos(run.elapsedNanos()))
        .as("the run must be shorter than one refill interval for the count to be exact")
        .isLessThan(WINDOW.dividedBy(PERMITS));
    assertThat(run.allowed()).isEqualTo(PERMITS);
  }
}
