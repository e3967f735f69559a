package dev.weft.sample.shop;

/**
 * The event of one placed order, as it travels on the stream {@value OrderEvents#STREAM}: JSON
 * in the entry's {@code payload} field, readable by any client.
 *
 * @param orderId the order's id
 * @param userId who placed it
 * @param sku what was ordered
 * @param quantity how many units, at least 1
 */
public record OrderPlaced(String orderId, String userId, String sku, int quantity) {}
