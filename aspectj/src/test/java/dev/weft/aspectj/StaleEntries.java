package dev.weft.aspectj;

import dev.weft.test.Await;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Starts background refreshes of stale-while-revalidate entries without waiting for their fresh
 * part to pass: the entry's remaining TTL is cut to half its stale window, so it reads as stale,
 * and the method is called until a refresh has started. A refresh holds the key's load lock until
 * it has stored or failed, so a call made while one is queued or running starts no second one.
 */
public final class StaleEntries {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private StaleEntries() {}

  /**
   * @param redis a client of the Redis the entry is in
   * @param key the entry's key
   * @param window the method's {@code staleWhileRevalidate}
   * @param loads counts the method's body runs; it grows when the refresh's body starts
   * @param call calls the method as a caller does
   * @return what each call returned (the stale value, unless the refresh stored first)
   */
  public static <T> List<T> refreshOnce(
      RedisClusterCommands<String, String> redis, String key, Duration window,
      AtomicInteger loads, Supplier<T> call) {
    int before = loads.get();
    List<T> served = new ArrayList<>();
    Await.until(WAIT, () -> "a background refresh of '" + key + "' starts", () -> {
      if (loads.get() != before) {
        return true;
      }
      if (!redis.pexpire(key, window.toMillis() / 2)) {
        throw new AssertionError("no entry '" + key + "' to make stale");
      }
      served.add(call.get());
      return loads.get() != before;
    });
    return served;
  }
}
