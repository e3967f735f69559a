package dev.weft.sample.shop;

/**
 * One product's stock ledger, read from the database: {@code initialStock + restocked - ordered}
 * must equal {@code stock}, and {@code stock} must never be negative.
 *
 * @param sku the product's id
 * @param category the product's category
 * @param initialStock the stock it was seeded with
 * @param restocked units added by the restock job since
 * @param ordered units taken by orders since
 * @param stock the stock now
 */
public record InventoryLine(
    String sku, String category, int initialStock, long restocked, long ordered, int stock) {

  /** @return whether the ledger adds up and the stock is not negative */
  public boolean balanced() {
    return stock >= 0 && initialStock + restocked - ordered == stock;
  }
}
