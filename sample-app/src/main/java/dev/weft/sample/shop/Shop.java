package dev.weft.sample.shop;

import dev.weft.Weft;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The shop's parts, wired once per process and shared by every {@code ShopServer} instance in
 * it: the database and the Weft-annotated services in front of it.
 *
 * @param database the source of truth
 * @param repository its SQL
 * @param catalog products and categories, cached
 * @param inventory stock, cached, changed under locks
 * @param orders order placement, rate-limited per user; publishes each order's event
 * @param events the stream of placed orders
 * @param analytics best sellers, orders, views and buyers per minute, fed by the events
 * @param restockJob the scheduled restock job, run by one instance at a time
 */
public record Shop(
    Database database,
    ShopRepository repository,
    Catalog catalog,
    Inventory inventory,
    OrderService orders,
    OrderEvents events,
    ShopAnalytics analytics,
    RestockJob restockJob) {

  /**
   * @param database the open database, not {@code null}
   * @param weft the runtime of the programmatic patterns (events, analytics), not {@code null}
   * @param registry where the shop's meters go, not {@code null}
   * @return the wired shop
   */
  public static Shop over(Database database, Weft weft, MeterRegistry registry) {
    ShopRepository repository = new ShopRepository(database);
    Inventory inventory = new Inventory(repository, registry);
    OrderEvents events = new OrderEvents(weft, registry);
    return new Shop(
        database,
        repository,
        new Catalog(repository),
        inventory,
        new OrderService(inventory, events, registry),
        events,
        new ShopAnalytics(weft),
        new RestockJob(repository, inventory, registry));
  }
}
