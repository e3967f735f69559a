package dev.weft.sample.boot;

import dev.weft.annotation.DistributedLock;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/**
 * Each product's units in stock, kept in Redis under {@code weft-sample-boot:stock:<sku>} with
 * Boot's own {@link StringRedisTemplate}.
 *
 * <p>A restock reads the units, adds to them and writes them back: two round trips that two
 * callers must not interleave, or one's units are lost. {@code @DistributedLock} on the product
 * lets one restock of it run at a time, in this instance and every other one; a caller waits up
 * to 5 s for its turn. The ledger also counts how many restocks are inside at once, so a lock that
 * did not hold would show.
 */
@Service
public class StockLedger {

  /** The prefix of the ledger's Redis keys. */
  public static final String KEY_PREFIX = "weft-sample-boot:stock:";

  private final StringRedisTemplate redis;
  private final AtomicInteger inside = new AtomicInteger();
  private final AtomicInteger mostInside = new AtomicInteger();

  /** @param redis Boot's template, on {@code spring.data.redis.*}, not {@code null} */
  public StockLedger(StringRedisTemplate redis) {
    this.redis = redis;
  }

  /**
   * Adds units to a product's stock, under the product's lock.
   *
   * @param sku the product
   * @param units how many units to add
   * @return the units in stock after this restock
   * @throws dev.weft.exception.LockNotAcquiredException if the lock was not granted within 5 s
   */
  @DistributedLock(key = "stock:{sku}", waitTime = "5s", lease = "10s")
  public long restock(String sku, int units) {
    mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
    try {
      long next = units(sku) + units;
      redis.opsForValue().set(KEY_PREFIX + sku, Long.toString(next));
      return next;
    } finally {
      inside.decrementAndGet();
    }
  }

  /**
   * @param sku the product
   * @return its units in stock, 0 if it was never restocked
   */
  public long units(String sku) {
    String value = redis.opsForValue().get(KEY_PREFIX + sku);
    return value == null ? 0 : Long.parseLong(value);
  }

  /** @return the most restocks that were inside {@link #restock} at the same time, since the start */
  public int mostInside() {
    return mostInside.get();
  }
}
