package dev.weft.sample.web;

/**
 * The body of {@code POST /orders}: {@code {"sku": "kb-01", "quantity": 2}}.
 *
 * @param sku what to order
 * @param quantity how many units, 1 to {@value ShopApi#MAX_QUANTITY}
 */
public record OrderRequest(String sku, Integer quantity) {}
