package dev.weft.sample.shop;

/** No product has the SKU, or it was discontinued; the HTTP layer answers 404. */
public final class UnknownProductException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** @param sku the SKU asked for */
  public UnknownProductException(String sku) {
    super("no product '" + sku + "'", null, false, false);
  }
}
