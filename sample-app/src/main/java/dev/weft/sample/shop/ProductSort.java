package dev.weft.sample.shop;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The orders a category's products can be listed in ({@code ?sort=name} or {@code ?sort=price}). */
public enum ProductSort {
  /** By name, then SKU. */
  NAME("name, sku"),
  /** By price, lowest first, then SKU. */
  PRICE("price_cents, sku");

  private final String orderBy;

  ProductSort(String orderBy) {
    this.orderBy = orderBy;
  }

  /** @return the SQL {@code ORDER BY} list, never {@code null} */
  String orderBy() {
    return orderBy;
  }

  /**
   * @param text a sort as written in a URL: {@code name} or {@code price}
   * @return the sort, or empty if {@code text} names none
   */
  public static Optional<ProductSort> parse(String text) {
    return Arrays.stream(values())
        .filter(s -> s.name().toLowerCase(Locale.ROOT).equals(text))
        .findFirst();
  }
}
