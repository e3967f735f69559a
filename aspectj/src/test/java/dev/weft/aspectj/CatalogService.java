package dev.weft.aspectj;

import dev.weft.annotation.Cached;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A service woven at compile time by ajc, as a user's class would be. */
public class CatalogService {

  public record Customer(long id, String region) {}

  public record Product(String sku, String name, long priceCents) {}

  public record Order(long id, Customer customer, List<Product> products) {}

  public static class Query {
    private final String region;
    public final int page;

    public Query(String region, int page) {
      this.region = region;
      this.page = page;
    }

    public String getRegion() {
      return region;
    }
  }

  final AtomicInteger calls = new AtomicInteger();

  @Cached(key = "product:{sku}", ttl = "10m")
  public Product product(String sku) {
    calls.incrementAndGet();
    return new Product(sku, "Product " + sku, 1999);
  }

  /** Reaches {@link #product} through {@code this}: self-invocation. */
  public Product productViaSelf(String sku) {
    return this.product(sku);
  }

  @Cached(key = "orders:{0}", ttl = "30s")
  public List<Order> orders(long customerId) {
    calls.incrementAndGet();
    Customer c = new Customer(customerId, "eu");
    return List.of(
        new Order(1, c, List.of(new Product("a", "A", 100), new Product("b", "B", 250))),
        new Order(2, c, List.of()));
  }

  @Cached(key = "by-region:{query.region}:{query.page}", ttl = "1m")
  public Map<String, List<Product>> byRegion(Query query) {
    calls.incrementAndGet();
    return Map.of(query.getRegion(), List.of(new Product("x", "X", 1)));
  }

  @Cached(key = "order-owner:{order.customer.id}", ttl = "PT1M")
  public String owner(Order order) {
    calls.incrementAndGet();
    return "customer-" + order.customer().id();
  }

  @Cached(key = "count:{n}", ttl = "1m")
  public int square(int n) {
    calls.incrementAndGet();
    return n * n;
  }

  @Cached(key = "missing:{id}", ttl = "1m")
  public Product nothing(String id) {
    calls.incrementAndGet();
    return null;
  }

  @Cached(key = "fails:{id}", ttl = "1m")
  public String failing(String id) throws java.io.IOException {
    calls.incrementAndGet();
    throw new java.io.IOException("source down for " + id);
  }

  @Cached(key = "user:{idd}", ttl = "1m")
  public String misnamed(long id) {
    calls.incrementAndGet();
    return "never";
  }

  @Cached(key = "user:{id}", ttl = "10 minutes")
  public String badTtl(long id) {
    calls.incrementAndGet();
    return "never";
  }

  @Cached(ttl = "1m")
  public static String wholeCall(String a, int b) {
    STATIC_CALLS.incrementAndGet();
    return a + b;
  }

  static final AtomicInteger STATIC_CALLS = new AtomicInteger();
}
