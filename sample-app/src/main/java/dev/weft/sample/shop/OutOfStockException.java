package dev.weft.sample.shop;

/** An order asked for more units than are in stock; nothing was taken. HTTP 409. */
public final class OutOfStockException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param sku the product
   * @param requested the units ordered
   * @param available the units in stock
   */
  public OutOfStockException(String sku, int requested, int available) {
    super(
        "only " + available + " of '" + sku + "' in stock, " + requested + " ordered; nothing was"
            + " ordered",
        null, false, false);
  }
}
