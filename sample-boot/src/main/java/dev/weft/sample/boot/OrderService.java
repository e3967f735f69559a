package dev.weft.sample.boot;

import dev.weft.annotation.RateLimited;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Service;

/**
 * Places orders, at most {@value #ORDERS_PER_USER} per second per user, decided in Redis for every
 * instance of the service at once. A user over the limit gets {@code
 * RateLimitExceededException}, which {@link ShopController} answers with 429 and {@code
 * Retry-After}.
 */
@Service
public class OrderService {

  /** Orders one user may place per second (GCRA: evenly spaced, bursts of this many). */
  public static final int ORDERS_PER_USER = 3;

  private final AtomicLong placed = new AtomicLong();

  /**
   * @param user who orders, not empty
   * @param sku what
   * @param quantity how many units
   * @return the placed order
   * @throws dev.weft.exception.RateLimitExceededException if the user ordered too often (nothing
   *     was done)
   */
  @RateLimited(key = "orders:{user}", permits = ORDERS_PER_USER, window = "1s")
  public Order place(String user, String sku, int quantity) {
    placed.incrementAndGet();
    return new Order(UUID.randomUUID().toString(), user, sku, quantity);
  }

  /** @return how many orders were placed since the start */
  public long placed() {
    return placed.get();
  }
}
