package dev.weft.bench.unwoven;

import dev.weft.bench.BenchService.Product;
import dev.weft.bench.ProductSource;
import java.util.HashMap;
import java.util.Map;

/**
 * The benchmark's method without any annotation: what a call costs when nothing is woven. The body
 * is the one every contender's class has: count the run, return the product from a map.
 */
public class PlainProducts implements ProductSource {

  private final Map<String, Product> products = new HashMap<>();
  private int bodyRuns;

  /** @param product the one product this source knows, not {@code null} */
  public PlainProducts(Product product) {
    products.put(product.sku(), product);
  }

  @Override
  public Product product(String sku) {
    bodyRuns++;
    return products.get(sku);
  }

  @Override
  public int bodyRuns() {
    return bodyRuns;
  }
}
