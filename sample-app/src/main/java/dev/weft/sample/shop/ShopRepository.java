package dev.weft.sample.shop;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shop's SQL, and nothing else: no caching, no locking. Each public method is one short
 * transaction or one query, every statement counted by {@link Database}.
 */
public final class ShopRepository {

  private static final String PRODUCT_COLUMNS = "sku, name, category, price_cents";

  private final Database database;

  /** @param database the source of truth, not {@code null} */
  public ShopRepository(Database database) {
    this.database = database;
  }

  /**
   * @param sku a product's id
   * @return the product, or empty if there is none or it was discontinued
   */
  public Optional<Product> product(String sku) {
    return database.read(c -> findProduct(c, sku));
  }

  /**
   * @param sku a product's id
   * @return its stock, or empty if there is no such product or it was discontinued
   */
  public Optional<StockLevel> stock(String sku) {
    return database.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT stock FROM product WHERE sku = ? AND NOT discontinued")) {
            s.setString(1, sku);
            try (ResultSet r = database.query(s, "stock")) {
              return r.next() ? Optional.of(new StockLevel(sku, r.getInt(1))) : Optional.empty();
            }
          }
        });
  }

  /**
   * @param category a category's name
   * @param sort the order of the list
   * @return the category's products still sold, in that order; empty if there is no such category
   */
  public List<Product> category(String category, ProductSort sort) {
    return database.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT " + PRODUCT_COLUMNS + " FROM product WHERE category = ? AND NOT"
                      + " discontinued ORDER BY " + sort.orderBy())) {
            s.setString(1, category);
            try (ResultSet r = database.query(s, "category")) {
              List<Product> products = new ArrayList<>();
              while (r.next()) {
                products.add(product(r));
              }
              return products;
            }
          }
        });
  }

  /**
   * Changes a product's name or price.
   *
   * @param sku the product
   * @param update what to change; {@code null} fields are kept
   * @return the product as changed, or empty if there is none
   */
  public Optional<Product> update(String sku, ProductUpdate update) {
    return database.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE product SET name = COALESCE(?, name), price_cents = COALESCE(?,"
                      + " price_cents) WHERE sku = ? AND NOT discontinued")) {
            s.setString(1, update.name());
            if (update.priceCents() == null) {
              s.setNull(2, Types.BIGINT);
            } else {
              s.setLong(2, update.priceCents());
            }
            s.setString(3, sku);
            if (database.update(s, "update") == 0) {
              return Optional.empty();
            }
          }
          return findProduct(c, sku);
        });
  }

  /**
   * Stops selling a product: it disappears from reads, and orders for it are refused.
   *
   * @param sku the product
   * @return the product as it was, or empty if there is none (or it was discontinued already)
   */
  public Optional<Product> discontinue(String sku) {
    return database.transaction(
        c -> {
          Optional<Product> product = findProduct(c, sku);
          if (product.isPresent()) {
            try (PreparedStatement s =
                c.prepareStatement("UPDATE product SET discontinued = TRUE WHERE sku = ?")) {
              s.setString(1, sku);
              database.update(s, "discontinue");
            }
          }
          return product;
        });
  }

  /**
   * Takes an order's units from stock and stores the order, in one transaction. The caller holds
   * the product's lock; {@code fencingToken} is that lock's token, and the stock row is changed
   * only if no newer holder changed it since it was read.
   *
   * @param order the order
   * @param fencingToken the token of the product lock held for it
   * @return the stock left
   * @throws UnknownProductException if there is no such product
   * @throws OutOfStockException if fewer units are in stock than ordered
   * @throws StaleLockException if a newer lock holder changed the stock (nothing is written)
   */
  public StockLevel takeStock(PendingOrder order, long fencingToken) {
    return database.transaction(
        c -> {
          StockLevel left = changeStock(c, order.sku(), -order.quantity(), fencingToken, "order");
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO customer_order (id, user_id, sku, quantity, fencing_token)"
                      + " VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, order.id());
            s.setString(2, order.userId());
            s.setString(3, order.sku());
            s.setInt(4, order.quantity());
            s.setLong(5, fencingToken);
            database.update(s, "insert-order");
          }
          return left;
        });
  }

  /**
   * Adds units to a product's stock and records the restock, in one transaction, under the
   * product's lock as {@link #takeStock} does.
   *
   * @param sku the product
   * @param units how many units to add, positive
   * @param fencingToken the token of the product lock held for it
   * @return the stock now
   * @throws UnknownProductException if there is no such product
   * @throws StaleLockException if a newer lock holder changed the stock (nothing is written)
   */
  public StockLevel addStock(String sku, int units, long fencingToken) {
    return database.transaction(
        c -> {
          StockLevel now = changeStock(c, sku, units, fencingToken, "restock");
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO restock (sku, quantity, fencing_token) VALUES (?, ?, ?)")) {
            s.setString(1, sku);
            s.setInt(2, units);
            s.setLong(3, fencingToken);
            database.update(s, "insert-restock");
          }
          return now;
        });
  }

  /**
   * @param threshold a number of units
   * @return the SKUs of products still sold whose stock is below {@code threshold}
   */
  public List<String> lowStock(int threshold) {
    return database.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT sku FROM product WHERE stock < ? AND NOT discontinued ORDER BY sku")) {
            s.setInt(1, threshold);
            try (ResultSet r = database.query(s, "low-stock")) {
              List<String> skus = new ArrayList<>();
              while (r.next()) {
                skus.add(r.getString(1));
              }
              return skus;
            }
          }
        });
  }

  /** @return every product's stock ledger, by SKU */
  public List<InventoryLine> inventory() {
    return database.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT p.sku, p.category, p.initial_stock, p.stock,"
                      + " (SELECT COALESCE(SUM(r.quantity), 0) FROM restock r WHERE r.sku = p.sku),"
                      + " (SELECT COALESCE(SUM(o.quantity), 0) FROM customer_order o"
                      + " WHERE o.sku = p.sku)"
                      + " FROM product p ORDER BY p.sku")) {
            try (ResultSet r = database.query(s, "inventory")) {
              List<InventoryLine> lines = new ArrayList<>();
              while (r.next()) {
                lines.add(
                    new InventoryLine(
                        r.getString(1), r.getString(2), r.getInt(3), r.getLong(5), r.getLong(6),
                        r.getInt(4)));
              }
              return lines;
            }
          }
        });
  }

  /** @return whether the database answers a query */
  public boolean ping() {
    return database.read(
        c -> {
          try (PreparedStatement s = c.prepareStatement("SELECT 1");
              ResultSet r = database.query(s, "ping")) {
            return r.next();
          }
        });
  }

  private StockLevel changeStock(
      Connection c, String sku, int delta, long fencingToken, String statement)
      throws SQLException {
    int stock;
    long lastToken;
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT stock, fencing_token FROM product WHERE sku = ? AND NOT discontinued")) {
      s.setString(1, sku);
      try (ResultSet r = database.query(s, "read-stock")) {
        if (!r.next()) {
          throw new UnknownProductException(sku);
        }
        stock = r.getInt(1);
        lastToken = r.getLong(2);
      }
    }
    if (fencingToken <= lastToken) {
      throw new StaleLockException(sku, fencingToken, lastToken);
    }
    if (stock + delta < 0) {
      throw new OutOfStockException(sku, -delta, stock);
    }
    // A compare-and-set on the token read above: a holder whose lease ran out while it worked
    // finds the row changed by the newer holder and writes nothing (Kleppmann, "How to do
    // distributed locking", 2016, on fencing tokens).
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE product SET stock = ?, fencing_token = ? WHERE sku = ? AND fencing_token = ?")) {
      s.setInt(1, stock + delta);
      s.setLong(2, fencingToken);
      s.setString(3, sku);
      s.setLong(4, lastToken);
      if (database.update(s, statement) == 0) {
        throw new StaleLockException(sku, fencingToken, lastToken);
      }
    }
    return new StockLevel(sku, stock + delta);
  }

  private Optional<Product> findProduct(Connection c, String sku) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT " + PRODUCT_COLUMNS + " FROM product WHERE sku = ? AND NOT discontinued")) {
      s.setString(1, sku);
      try (ResultSet r = database.query(s, "product")) {
        return r.next() ? Optional.of(product(r)) : Optional.empty();
      }
    }
  }

  private static Product product(ResultSet r) throws SQLException {
    return new Product(r.getString(1), r.getString(2), r.getString(3), r.getLong(4));
  }
}
