package dev.weft.sample.shop;

import dev.weft.annotation.Cached;
import dev.weft.annotation.Invalidate;
import dev.weft.annotation.WriteThrough;
import java.util.List;
import java.util.Optional;

/**
 * The product catalogue, read through Redis and changed through the database.
 *
 * <h2>Cache layout</h2>
 *
 * <ul>
 *   <li>{@code weft-sample:product:<sku>}: one product, tagged {@code weft-sample:product:<sku>};
 *   <li>{@code weft-sample:stock:<sku>}: its stock (see {@link Inventory}), with the same tag;
 *   <li>{@code weft-sample:category:<category>:<sort>}: a category's list in one order, tagged
 *       {@code weft-sample:category:<category>}, so both orders of a list go together.
 * </ul>
 *
 * <p>A change of name or price writes the product entry through (readers see the new value at
 * once, without a database query) and drops its category's lists by tag. Discontinuing a product
 * drops everything tagged with it (product and stock) and its category's lists. An unknown SKU is
 * cached too, as empty, so that asking for it again costs the database nothing.
 *
 * <p>When Redis is down every read here goes to the database (Weft's caching fails open), and
 * writes still change the database; the cache write or invalidation is skipped and logged.
 */
public class Catalog {

  private final ShopRepository repository;

  /** @param repository the source of truth, not {@code null} */
  public Catalog(ShopRepository repository) {
    this.repository = repository;
  }

  /**
   * @param sku a product's id
   * @return the product, or empty if there is none (an empty answer is cached as well)
   */
  @Cached(key = "weft-sample:product:{sku}", ttl = "10m", tags = "weft-sample:product:{sku}")
  public Optional<Product> product(String sku) {
    return repository.product(sku);
  }

  /**
   * @param category a category's name
   * @param sort the order of the list
   * @return the category's products in that order; empty if there is no such category
   */
  @Cached(
      key = "weft-sample:category:{category}:{sort}",
      ttl = "5m",
      tags = "weft-sample:category:{category}")
  public List<Product> category(String category, ProductSort sort) {
    return repository.category(category, sort);
  }

  /**
   * Changes a product's name or price in the database, then writes the changed product to its
   * cache entry and drops its category's cached lists.
   *
   * @param sku the product
   * @param update what to change
   * @return the product as changed
   * @throws UnknownProductException if there is no such product (nothing is cached or dropped)
   */
  @WriteThrough(
      key = "weft-sample:product:{result.sku}",
      ttl = "10m",
      tags = "weft-sample:product:{result.sku}")
  @Invalidate(tags = "weft-sample:category:{result.category}")
  public Product update(String sku, ProductUpdate update) {
    return repository.update(sku, update).orElseThrow(() -> new UnknownProductException(sku));
  }

  /**
   * Stops selling a product, then drops its cached product and stock entries (by its tag) and
   * its category's lists.
   *
   * @param sku the product
   * @return the product as it was
   * @throws UnknownProductException if there is no such product
   */
  @Invalidate(tags = {"weft-sample:product:{sku}", "weft-sample:category:{result.category}"})
  public Product discontinue(String sku) {
    return repository.discontinue(sku).orElseThrow(() -> new UnknownProductException(sku));
  }
}
