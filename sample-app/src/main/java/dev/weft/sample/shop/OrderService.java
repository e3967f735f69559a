package dev.weft.sample.shop;

import dev.weft.annotation.RateLimited;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Places orders: at most {@value #ORDERS_PER_USER} per second per user, decided in Redis for every
 * process at once; then stock is taken under the product's lock ({@link Inventory#reserve}).
 *
 * <p>When Redis cannot decide the rate limit, the order goes on ({@code onRedisFailure = ALLOW},
 * the default: availability first), and is then refused by the lock, which fails closed. So
 * during an outage orders are refused, never oversold.
 *
 * <p>Once the order is committed, its event is published to the stream of {@link OrderEvents};
 * a failure there does not undo the order.
 */
public class OrderService {

  /** Orders one user may place per second (GCRA: evenly spaced, bursts of this many). */
  public static final int ORDERS_PER_USER = 3;

  private final Inventory inventory;
  private final OrderEvents events;
  private final Counter contended;
  private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

  /**
   * @param inventory where stock is taken, not {@code null}
   * @param events where placed orders are published, not {@code null}
   * @param registry where orders that had to wait for their product's lock are counted, as {@code
   *     sample.orders.lock.contended}
   */
  public OrderService(Inventory inventory, OrderEvents events, MeterRegistry registry) {
    this.inventory = inventory;
    this.events = events;
    this.contended =
        Counter.builder("sample.orders.lock.contended")
            .description("Orders that found another order of the same product in progress here")
            .register(registry);
  }

  /**
   * @param userId who orders, not empty
   * @param sku what
   * @param quantity how many units, at least 1
   * @return the placed order
   * @throws dev.weft.exception.RateLimitExceededException if the user ordered too often (nothing
   *     was done)
   * @throws dev.weft.exception.LockNotAcquiredException if the product's lock was not granted
   * @throws UnknownProductException if there is no such product
   * @throws OutOfStockException if too few units are in stock
   */
  @RateLimited(key = "weft-sample:orders:{userId}", permits = ORDERS_PER_USER, window = "1s")
  public Order place(String userId, String sku, int quantity) {
    PendingOrder pending =
        new PendingOrder(UUID.randomUUID().toString(), userId, sku, quantity, System.nanoTime());
    AtomicInteger here = inFlight.computeIfAbsent(sku, k -> new AtomicInteger());
    if (here.getAndIncrement() > 0) {
      contended.increment();
    }
    Order order;
    try {
      StockLevel left = inventory.reserve(pending);
      order = new Order(pending.id(), userId, sku, quantity, left.units());
    } finally {
      here.decrementAndGet();
    }
    events.publish(order);
    return order;
  }
}
