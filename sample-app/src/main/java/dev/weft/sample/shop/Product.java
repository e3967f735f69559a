package dev.weft.sample.shop;

/**
 * A product of the catalogue, as cached in Redis (plain JSON, readable with {@code redis-cli}).
 *
 * @param sku the product's id, such as {@code kb-01}
 * @param name what it is called
 * @param category the category it is listed under, such as {@code peripherals}
 * @param priceCents its price in cents
 */
public record Product(String sku, String name, String category, long priceCents) {}
