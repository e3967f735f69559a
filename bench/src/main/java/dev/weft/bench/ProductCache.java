package dev.weft.bench;

import dev.weft.bench.BenchService.Product;

/**
 * One contender's cache-aside read of a product: the entry {@code product:<sku>} in Redis, JSON,
 * one hour to live, loaded by {@link BenchService#load} on a miss.
 */
interface ProductCache extends AutoCloseable {

  /**
   * @param sku the product's SKU, not {@code null}
   * @return the product, from Redis on a hit, never {@code null}
   * @throws Exception if the contender's client fails
   */
  Product product(String sku) throws Exception;

  /** Closes the contender's clients and their threads. */
  @Override
  void close();
}
