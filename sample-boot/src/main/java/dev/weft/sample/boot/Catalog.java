package dev.weft.sample.boot;

import dev.weft.annotation.Cached;
import dev.weft.annotation.Invalidate;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * The catalogue, read through Redis: {@code product:<sku>} (under the key prefix {@code
 * weft.key-prefix}) holds a product for 10 minutes; an unknown SKU is cached too, as empty. A price
 * change drops the product's entry, so the next read loads the new price.
 */
@Service
public class Catalog {

  private final ProductSource source;

  /** @param source the products' source of truth, not {@code null} */
  public Catalog(ProductSource source) {
    this.source = source;
  }

  /**
   * @param sku a product's id
   * @return the product, or empty if there is none; from Redis when cached
   */
  @Cached(key = "product:{sku}", ttl = "10m")
  public Optional<Product> product(String sku) {
    return source.read(sku);
  }

  /**
   * Changes a product's price, then drops its cached entry.
   *
   * @param sku the product
   * @param priceCents the new price in cents
   * @return the changed product, or empty if there is none (the entry is dropped all the same)
   */
  @Invalidate(keys = "product:{sku}")
  public Optional<Product> changePrice(String sku, long priceCents) {
    return source.changePrice(sku, priceCents);
  }
}
