package dev.weft.bench.unwoven;

import dev.weft.annotation.Cached;
import dev.weft.bench.BenchService;
import dev.weft.bench.BenchService.Product;

/**
 * {@link BenchService#product}'s {@code @Cached} method in a class the build leaves unwoven (bench's
 * {@code ajc-scope.xml} excludes this package), for the starter's Spring AOP proxy mode to apply:
 * the same key, time to live and loader as the compile-time woven one.
 */
public class RedisProducts {

  /**
   * @param sku the product's SKU
   * @return a product; the body runs only on a miss
   */
  @Cached(key = "product:{sku}", ttl = "1h")
  public Product product(String sku) {
    return BenchService.load(sku);
  }
}
