package dev.weft.bench;

import dev.weft.annotation.Cached;

/** The method under test, woven by ajc with weft-aspectj. */
public class BenchService {

  /** A typical small cached value: a few fields, about 150 bytes of JSON. */
  public record Product(String sku, String name, String category, long priceCents, boolean inStock) {}

  /**
   * @param sku the product's SKU
   * @return a product; the body runs only on a miss
   */
  @Cached(key = "product:{sku}", ttl = "1h")
  public Product product(String sku) {
    return load(sku);
  }

  static Product load(String sku) {
    return new Product(sku, "Mechanical keyboard with a very long name " + sku, "peripherals", 8900, true);
  }
}
