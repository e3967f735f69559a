package dev.weft.bench;

import dev.weft.bench.BenchService.Product;

/**
 * The method {@link WeavingOverheadBenchmark} calls: the same body in every contender's class,
 * which counts its runs so that setup can tell a hit (the body skipped) from a plain call.
 */
public interface ProductSource {

  /**
   * @param sku the product's SKU, not {@code null}
   * @return the product, never {@code null}
   */
  Product product(String sku);

  /** @return how many times the body of {@link #product} has run */
  int bodyRuns();
}
