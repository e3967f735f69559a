package dev.weft.sample.web;

import dev.weft.sample.shop.Product;

/**
 * A product as {@code GET /products/{sku}} shows it: catalogue data and stock.
 *
 * @param sku the product's id
 * @param name its name
 * @param category its category
 * @param priceCents its price in cents
 * @param stock the units in stock
 */
public record ProductView(String sku, String name, String category, long priceCents, int stock) {

  static ProductView of(Product product, int stock) {
    return new ProductView(
        product.sku(), product.name(), product.category(), product.priceCents(), stock);
  }
}
