package dev.weft.sample.boot;

/**
 * A placed order.
 *
 * @param id its id
 * @param user who placed it
 * @param sku what
 * @param quantity how many units
 */
public record Order(String id, String user, String sku, int quantity) {}
