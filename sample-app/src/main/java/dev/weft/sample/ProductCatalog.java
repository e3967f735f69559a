package dev.weft.sample;

import dev.weft.annotation.Cached;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A product catalogue in front of a slow source of truth. The source answers after a fixed
 * delay, standing in for a remote database or service; {@link #sourceQueries()} counts how often
 * it was really asked.
 */
public class ProductCatalog {

  /** A product, cached as JSON. */
  public record Product(String sku, String name, String category, long priceCents) {}

  private static final Map<String, Product> TABLE = new TreeMap<>();

  static {
    String[][] rows = {
      {"kb-01", "Mechanical keyboard", "peripherals", "8900"},
      {"ms-02", "Wireless mouse", "peripherals", "2900"},
      {"mn-03", "27-inch monitor", "displays", "25900"},
      {"hd-04", "USB-C hub", "peripherals", "3900"},
      {"lp-05", "Laptop stand", "furniture", "4500"},
    };
    for (String[] row : rows) {
      TABLE.put(row[0], new Product(row[0], row[1], row[2], Long.parseLong(row[3])));
    }
  }

  private final long sourceLatencyMillis;
  private final AtomicInteger sourceQueries = new AtomicInteger();

  /** @param sourceLatencyMillis how long each source query takes, in milliseconds */
  public ProductCatalog(long sourceLatencyMillis) {
    this.sourceLatencyMillis = sourceLatencyMillis;
  }

  /**
   * @param sku the product's SKU
   * @return the product, or {@code null} if there is none (a cached answer too)
   */
  @Cached(key = "product:{sku}", ttl = "10m")
  public Product product(String sku) {
    query();
    return TABLE.get(sku);
  }

  /**
   * @param category a category name
   * @return the category's products, by SKU
   */
  @Cached(key = "category:{category}", ttl = "1m")
  public List<Product> category(String category) {
    query();
    List<Product> products = new ArrayList<>();
    for (Product p : TABLE.values()) {
      if (p.category().equals(category)) {
        products.add(p);
      }
    }
    return products;
  }

  /** @return how many times the slow source was queried */
  public int sourceQueries() {
    return sourceQueries.get();
  }

  private void query() {
    sourceQueries.incrementAndGet();
    try {
      Thread.sleep(sourceLatencyMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
