package dev.weft.sample.shop;

/**
 * An order accepted for processing, before stock is taken for it.
 *
 * @param id the order's id, chosen before it is stored
 * @param userId who placed it
 * @param sku what is ordered
 * @param quantity how many units, at least 1
 * @param queuedAtNanos {@link System#nanoTime()} when it started waiting for the product's lock
 */
public record PendingOrder(String id, String userId, String sku, int quantity, long queuedAtNanos) {}
