package dev.weft.bench;

import dev.weft.annotation.Cached;
import java.util.concurrent.atomic.AtomicInteger;

/** The method under test, woven by ajc with weft-aspectj, and the loader every contender shares. */
public class BenchService {

  private static final AtomicInteger LOADS = new AtomicInteger();

  /** A typical small cached value: a few fields, about 130 bytes of JSON. */
  public record Product(String sku, String name, String category, long priceCents, boolean inStock) {}

  /**
   * @param sku the product's SKU
   * @return a product; the body runs only on a miss
   */
  @Cached(key = "product:{sku}", ttl = "1h")
  public Product product(String sku) {
    return load(sku);
  }

  /**
   * The "database" behind every contender's cache; counts its calls so that a benchmark's setup
   * can prove that the measured calls are hits.
   *
   * @param sku the product's SKU, not {@code null}
   * @return a new product, never {@code null}
   */
  public static Product load(String sku) {
    LOADS.incrementAndGet();
    return new Product(sku, "Mechanical keyboard with a very long name " + sku, "peripherals", 8900, true);
  }

  /** @return how many times {@link #load} has run in this JVM */
  public static int loads() {
    return LOADS.get();
  }
}
