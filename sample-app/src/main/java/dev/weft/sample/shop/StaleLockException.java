package dev.weft.sample.shop;

/**
 * A stock change was refused by the database because its fencing token is not newer than the
 * token of the last change: the writer's lock lease ended while it worked and another holder
 * changed the stock meanwhile. Nothing was written; the HTTP layer answers 503.
 */
public final class StaleLockException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param sku the product
   * @param token the refused writer's token
   * @param current the token of the row's last change
   */
  public StaleLockException(String sku, long token, long current) {
    super(
        "the lock on '" + sku + "' was lost (fencing token " + token + ", row already at "
            + current + "); nothing was changed");
  }
}
