package dev.weft.sample.shop;

/**
 * How many units of a product are in stock, as cached in Redis.
 *
 * @param sku the product's id
 * @param units the units in stock, at least 0
 */
public record StockLevel(String sku, int units) {}
