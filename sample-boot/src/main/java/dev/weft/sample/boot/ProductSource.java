package dev.weft.sample.boot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The products' source of truth, standing for the database behind the cache: it counts every read
 * that reaches it, which is what the cache is there to avoid.
 */
@Component
public class ProductSource {

  private final Map<String, Product> products = new ConcurrentHashMap<>();
  private final AtomicLong reads = new AtomicLong();

  /** Fills the source with the shop's products. */
  public ProductSource() {
    Map<String, Product> seed = new LinkedHashMap<>();
    seed.put("kb-01", new Product("kb-01", "Mechanical keyboard", 8900));
    seed.put("ms-02", new Product("ms-02", "Wireless mouse", 3500));
    seed.put("mn-03", new Product("mn-03", "27-inch monitor", 27900));
    seed.put("hp-04", new Product("hp-04", "Headphones", 12900));
    seed.put("wc-05", new Product("wc-05", "Webcam", 6900));
    seed.put("ch-06", new Product("ch-06", "Office chair", 24900));
    products.putAll(seed);
  }

  /** @return the SKUs of every product, never {@code null} */
  public List<String> skus() {
    return products.keySet().stream().sorted().toList();
  }

  /**
   * @param sku a product's id
   * @return the product, or empty if there is none; counted as a read
   */
  public Optional<Product> read(String sku) {
    reads.incrementAndGet();
    return Optional.ofNullable(products.get(sku));
  }

  /**
   * @param sku a product's id
   * @param priceCents the new price in cents
   * @return the changed product, or empty if there is none
   */
  public Optional<Product> changePrice(String sku, long priceCents) {
    return Optional.ofNullable(
        products.computeIfPresent(sku, (k, p) -> new Product(k, p.name(), priceCents)));
  }

  /** @return how many reads reached the source since the start */
  public long reads() {
    return reads.get();
  }
}
