package dev.weft.bench;

import dev.weft.annotation.Cached;
import dev.weft.bench.BenchService.Product;
import java.util.HashMap;
import java.util.Map;

/**
 * The benchmark's method with {@code @Cached(near = true)}, compile-time woven (ajc weaves this
 * package). Same source as {@link dev.weft.bench.unwoven.NearProducts}, which stays unwoven for the
 * load-time modes: one class file cannot be both.
 */
public class WovenNearProducts implements ProductSource {

  private final Map<String, Product> products = new HashMap<>();
  private int bodyRuns;

  /** @param product the one product this source knows, not {@code null} */
  public WovenNearProducts(Product product) {
    products.put(product.sku(), product);
  }

  @Override
  @Cached(key = "near-product:{sku}", ttl = "1h", near = true)
  public Product product(String sku) {
    bodyRuns++;
    return products.get(sku);
  }

  @Override
  public int bodyRuns() {
    return bodyRuns;
  }
}
