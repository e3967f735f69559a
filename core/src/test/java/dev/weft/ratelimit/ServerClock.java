package dev.weft.ratelimit;

import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Test helpers around Redis's clock, which is the one the limiters use. Fixed and
 * sliding-counter windows are aligned on it, so a scenario that must happen "within one window"
 * is run on a fresh key and repeated (at most three times) if it crossed a window boundary.
 */
final class ServerClock {

  private final RedisCommands<String, String> redis;

  ServerClock(RedisCommands<String, String> redis) {
    this.redis = redis;
  }

  /** @return Redis's time in milliseconds */
  long millis() {
    List<String> time = redis.time();
    return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
  }

  /**
   * Runs {@code scenario} on a fresh key until one run starts and ends in the same window of
   * {@code window} on the server clock.
   */
  <T> T withinOneWindow(Duration window, Function<String, T> scenario) {
    long w = window.toMillis();
    for (int attempt = 0; attempt < 3; attempt++) {
      String key = "test:" + UUID.randomUUID();
      long before = millis();
      T result = scenario.apply(key);
      if (before / w == millis() / w) {
        return result;
      }
    }
    throw new AssertionError("three runs in a row crossed a " + window + " window boundary");
  }

  /** Waits (bounded by {@code d} itself) until {@code d} has elapsed since {@code startNanos}. */
  static void awaitElapsed(long startNanos, Duration d) {
    long deadline = startNanos + d.toNanos();
    while (System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }
}
