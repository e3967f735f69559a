package dev.weft.sample.boot;

import dev.weft.exception.LockNotAcquiredException;
import dev.weft.exception.RateLimitExceededException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.aop.support.AopUtils;
import org.springframework.cache.CacheManager;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The shop's HTTP interface. Every call to an annotated method comes from here, another bean, so
 * it goes through the bean's proxy.
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><td>{@code GET /products/{sku}}</td><td>a product, cached ({@code @Cached}); 404 if unknown</td></tr>
 *   <tr><td>{@code PUT /products/{sku}/price}</td><td>{@code {"priceCents": 999}}; drops the entry ({@code @Invalidate})</td></tr>
 *   <tr><td>{@code POST /orders}</td><td>{@code {"user": "ann", "sku": "kb-01", "quantity": 1}}; 201, or 429 ({@code @RateLimited})</td></tr>
 *   <tr><td>{@code POST /stock/{sku}/restock?units=5}</td><td>adds units under the product's lock ({@code @DistributedLock}); 409 if not granted</td></tr>
 *   <tr><td>{@code GET /stock/{sku}}</td><td>units in stock</td></tr>
 *   <tr><td>{@code GET /shipping/{country}}</td><td>a rate, cached by Spring's {@code @Cacheable}</td></tr>
 *   <tr><td>{@code GET /stats}</td><td>the service's counts: source reads, rates computed, orders, the most restocks inside at once</td></tr>
 * </table>
 */
@RestController
public class ShopController {

  private final Catalog catalog;
  private final ProductSource source;
  private final OrderService orders;
  private final StockLedger stock;
  private final ShippingRates shipping;
  private final CacheManager cacheManager;

  /** Spring injects the services (Weft's proxies of them) and the cache manager. */
  public ShopController(
      Catalog catalog,
      ProductSource source,
      OrderService orders,
      StockLedger stock,
      ShippingRates shipping,
      CacheManager cacheManager) {
    this.catalog = catalog;
    this.source = source;
    this.orders = orders;
    this.stock = stock;
    this.shipping = shipping;
    this.cacheManager = cacheManager;
  }

  /**
   * What {@code PUT /products/{sku}/price} takes.
   *
   * @param priceCents the new price in cents
   */
  public record PriceChange(long priceCents) {}

  /**
   * What {@code POST /orders} takes.
   *
   * @param user who orders
   * @param sku what
   * @param quantity how many units
   */
  public record OrderRequest(String user, String sku, int quantity) {}

  @GetMapping("/products/{sku}")
  ResponseEntity<Product> product(@PathVariable String sku) {
    return ResponseEntity.of(catalog.product(sku));
  }

  @PutMapping("/products/{sku}/price")
  ResponseEntity<Product> changePrice(@PathVariable String sku, @RequestBody PriceChange change) {
    return ResponseEntity.of(catalog.changePrice(sku, change.priceCents()));
  }

  @PostMapping("/orders")
  ResponseEntity<Order> order(@RequestBody OrderRequest request) {
    Order order = orders.place(request.user(), request.sku(), request.quantity());
    return ResponseEntity.status(HttpStatus.CREATED).body(order);
  }

  @PostMapping("/stock/{sku}/restock")
  Map<String, Object> restock(@PathVariable String sku, @RequestParam int units) {
    return Map.of("sku", sku, "units", stock.restock(sku, units));
  }

  @GetMapping("/stock/{sku}")
  Map<String, Object> stock(@PathVariable String sku) {
    return Map.of("sku", sku, "units", stock.units(sku));
  }

  @GetMapping("/shipping/{country}")
  ShippingRates.Quote shipping(@PathVariable String country) {
    return shipping.quote(country);
  }

  @GetMapping("/stats")
  Map<String, Object> stats() {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("productReads", source.reads());
    stats.put("ratesComputed", shipping.computed());
    stats.put("ordersPlaced", orders.placed());
    stats.put("mostRestocksInside", stock.mostInside());
    stats.put("catalogProxied", AopUtils.isAopProxy(catalog));
    stats.put("cacheManager", AopUtils.getTargetClass(cacheManager).getName());
    return stats;
  }

  /** A spent limit: 429 with the headers of Weft's decision ({@code Retry-After}, {@code RateLimit-*}). */
  @ExceptionHandler(RateLimitExceededException.class)
  ResponseEntity<Map<String, Object>> limited(RateLimitExceededException e) {
    ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS);
    e.headers().forEach(response::header);
    return response.body(
        Map.of("status", 429, "error", "Too Many Requests", "message", e.getMessage()));
  }

  /** A lock not granted in time: 409. */
  @ExceptionHandler(LockNotAcquiredException.class)
  ResponseEntity<Map<String, Object>> locked(LockNotAcquiredException e) {
    return ResponseEntity.status(HttpStatus.CONFLICT)
        .body(Map.of("status", 409, "error", "Conflict", "message", e.getMessage()));
  }
}
