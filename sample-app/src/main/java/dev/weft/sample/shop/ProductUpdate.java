package dev.weft.sample.shop;

/**
 * A change to a product's catalogue data; a {@code null} field is left as it is.
 *
 * @param name the new name, or {@code null}
 * @param priceCents the new price in cents, or {@code null}
 */
public record ProductUpdate(String name, Long priceCents) {}
