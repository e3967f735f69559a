package dev.weft.bench;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.redisson.Redisson;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;

/**
 * Redisson's {@link RRateLimiter}: {@code permits} per window shared by all clients
 * ({@link RateType#OVERALL}), with Redisson's default of no expiry: with a keep-alive time its
 * configuration expires with its state, and an idle limiter then fails ("RateLimiter is not
 * initialized") until its rate is set again. Redisson
 * records each granted permit in a sorted set scored by the client's clock and counts those of
 * the last window. The limiter objects are made (and their rate set, one command) once per key
 * and kept. Redisson's default single-server client: a pool of connections (24 kept open, up to
 * 64), 32 Netty threads.
 */
final class RedissonLimiter implements Limiter {

  private final RedissonClient redisson;
  private final long permits;
  private final Duration window;
  private final ConcurrentMap<String, RRateLimiter> limiters = new ConcurrentHashMap<>();

  /**
   * @param url the Redis URL, Lettuce syntax
   * @param permits permits per window
   * @param window the window
   */
  RedissonLimiter(String url, long permits, Duration window) {
    redisson = Redisson.create(RedisAddress.redisson(url));
    this.permits = permits;
    this.window = window;
  }

  @Override
  public boolean tryAcquire(String key) {
    return limiters.computeIfAbsent(key, this::open).tryAcquire();
  }

  private RRateLimiter open(String key) {
    RRateLimiter limiter = redisson.getRateLimiter("redisson:" + key);
    limiter.trySetRate(RateType.OVERALL, permits, window);
    return limiter;
  }

  @Override
  public void close() {
    redisson.shutdown();
  }
}
