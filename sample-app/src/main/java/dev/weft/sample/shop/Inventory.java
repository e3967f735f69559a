package dev.weft.sample.shop;

import dev.weft.annotation.Cached;
import dev.weft.annotation.DistributedLock;
import dev.weft.annotation.LockContext;
import dev.weft.annotation.WriteThrough;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Stock: read through Redis, changed only under the product's distributed lock.
 *
 * <h2>Why a lock, and why stock can never go negative</h2>
 *
 * Taking units is read, check, write: read the stock, refuse if too few, write the difference.
 * Two orders doing that at once for the last unit would both pass the check. The lock {@code
 * weft-sample:stock:<sku>} makes them take turns across every process that shares the Redis, so
 * each one reads what the previous one wrote. The write also carries the lock's fencing token and
 * applies only if the row still holds the token that was read ({@link ShopRepository#takeStock}),
 * so even a holder whose lease ran out mid-way (a long pause) cannot overwrite a newer holder's
 * change; and the database's {@code CHECK (stock >= 0)} is the last line.
 *
 * <p>Locks fail closed: when Redis cannot be reached, no lock is granted, {@link #reserve} does
 * not run and throws {@link dev.weft.exception.LockNotAcquiredException}, and the order is refused
 * (HTTP 503) rather than risk selling a unit twice.
 *
 * <p>Each change writes the new stock through to its cache entry while the lock is still held, so
 * cache writes happen in the same order as the database commits and the entry never goes back to
 * an older value. (A write skipped because Redis failed leaves the entry as it was until its TTL
 * ends; orders never read stock from the cache.)
 */
public class Inventory {

  private final ShopRepository repository;
  private final Timer lockWait;

  /**
   * @param repository the source of truth, not {@code null}
   * @param registry where lock waits are recorded, as {@code sample.orders.lock.wait}
   */
  public Inventory(ShopRepository repository, MeterRegistry registry) {
    this.repository = repository;
    this.lockWait =
        Timer.builder("sample.orders.lock.wait")
            .description("Time from asking for a product's lock to holding it, per order")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(2))
            .register(registry);
  }

  /**
   * @param sku a product's id
   * @return its stock, or empty if there is no such product
   */
  @Cached(key = "weft-sample:stock:{sku}", ttl = "1m", tags = "weft-sample:product:{sku}")
  public Optional<StockLevel> stock(String sku) {
    return repository.stock(sku);
  }

  /**
   * Takes an order's units from stock and stores the order, holding the product's lock (waiting
   * up to 2 s for it); the new stock is then written to its cache entry.
   *
   * @param order the order
   * @return the stock left
   * @throws dev.weft.exception.LockNotAcquiredException if the lock was not granted: held by others
   *     for 2 s, or Redis unreachable (nothing was taken)
   * @throws UnknownProductException if there is no such product
   * @throws OutOfStockException if too few units are in stock (nothing was taken)
   */
  @DistributedLock(key = "weft-sample:stock:{order.sku}", waitTime = "2s", lease = "10s")
  @WriteThrough(
      key = "weft-sample:stock:{order.sku}",
      ttl = "1m",
      tags = "weft-sample:product:{order.sku}")
  public StockLevel reserve(PendingOrder order) {
    lockWait.record(System.nanoTime() - order.queuedAtNanos(), TimeUnit.NANOSECONDS);
    return repository.takeStock(order, LockContext.currentFencingToken());
  }

  /**
   * Adds units to a product's stock under the product's lock, then writes the new stock to its
   * cache entry.
   *
   * @param sku the product
   * @param units how many units, positive
   * @return the stock now
   * @throws dev.weft.exception.LockNotAcquiredException if the lock was not granted
   * @throws UnknownProductException if there is no such product
   */
  @DistributedLock(key = "weft-sample:stock:{sku}", waitTime = "2s", lease = "10s")
  @WriteThrough(key = "weft-sample:stock:{sku}", ttl = "1m", tags = "weft-sample:product:{sku}")
  public StockLevel restock(String sku, int units) {
    return repository.addStock(sku, units, LockContext.currentFencingToken());
  }
}
