package dev.weft.bench.unwoven;

import dev.weft.annotation.Cached;
import dev.weft.bench.BenchService.Product;
import dev.weft.bench.ProductSource;
import java.util.HashMap;
import java.util.Map;

/**
 * The benchmark's method with {@code @Cached(near = true)}, left unwoven by the build (bench's
 * {@code ajc-scope.xml} excludes this package): woven at load time, by AspectJ's weaver with
 * weft-aspectj's {@code aop.xml} or by the Weft agent. Same source as
 * {@link dev.weft.bench.WovenNearProducts}, which ajc weaves at build time.
 */
public class NearProducts implements ProductSource {

  private final Map<String, Product> products = new HashMap<>();
  private int bodyRuns;

  /** @param product the one product this source knows, not {@code null} */
  public NearProducts(Product product) {
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
