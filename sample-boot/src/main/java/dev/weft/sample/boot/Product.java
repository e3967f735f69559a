package dev.weft.sample.boot;

/**
 * A product of the shop.
 *
 * @param sku its id, such as {@code kb-01}
 * @param name what it is called
 * @param priceCents its price in cents
 */
public record Product(String sku, String name, long priceCents) {}
