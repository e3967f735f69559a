package dev.weft.sample.shop;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The shop's parts, wired once per process and shared by every {@code ShopServer} instance in
 * it: the database and the Weft-annotated services in front of it.
 *
 * @param database the source of truth
 * @param repository its SQL
 * @param catalog products and categories, cached
 * @param inventory stock, cached, changed under locks
 * @param orders order placement, rate-limited per user
 * @param restockJob the scheduled restock job, run by one instance at a time
 */
public record Shop(
    Database database,
    ShopRepository repository,
    Catalog catalog,
    Inventory inventory,
    OrderService orders,
    RestockJob restockJob) {

  /**
   * @param database the open database, not {@code null}
   * @param registry where the shop's meters go, not {@code null}
   * @return the wired shop
   */
  public static Shop over(Database database, MeterRegistry registry) {
    ShopRepository repository = new ShopRepository(database);
    Inventory inventory = new Inventory(repository, registry);
    return new Shop(
        database,
        repository,
        new Catalog(repository),
        inventory,
        new OrderService(inventory, registry),
        new RestockJob(repository, inventory, registry));
  }
}
