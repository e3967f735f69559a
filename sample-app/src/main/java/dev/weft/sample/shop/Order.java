package dev.weft.sample.shop;

/**
 * A placed order: its units were taken from stock in the same transaction that stored it.
 *
 * @param id the order's id
 * @param userId who placed it
 * @param sku what was ordered
 * @param quantity how many units
 * @param stockLeft the product's stock right after this order
 */
public record Order(String id, String userId, String sku, int quantity, int stockLeft) {}
