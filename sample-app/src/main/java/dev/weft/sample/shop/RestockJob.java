package dev.weft.sample.shop;

import dev.weft.annotation.DistributedLock;
import dev.weft.annotation.DistributedLock.OnLocked;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Tops up products that run low: every product with fewer than {@value #LOW_STOCK} units gets
 * {@value #RESTOCK_UNITS} more, each under the product's own lock ({@link Inventory#restock}).
 *
 * <p>Every instance of the service schedules this job every second; the lock {@code
 * weft-sample:job:restock} in skip mode lets one of them run it and the others skip that turn
 * ({@link #run} returns {@code null} for them). {@code holdAtLeast} keeps the lock for 800 ms after
 * a fast run, so an instance whose trigger fires a little later in the same second skips too.
 */
public class RestockJob {

  /** Products with fewer units than this are restocked. */
  public static final int LOW_STOCK = 20;

  /** Units added to each such product per run. */
  public static final int RESTOCK_UNITS = 100;

  private final ShopRepository repository;
  private final Inventory inventory;
  private final Counter ran;
  private final Counter skipped;
  private final Counter units;

  /**
   * @param repository where low stock is found, not {@code null}
   * @param inventory where stock is added, not {@code null}
   * @param registry where runs are counted: {@code sample.restock.runs} (tag {@code
   *     outcome=ran|skipped}) and {@code sample.restock.units}
   */
  public RestockJob(ShopRepository repository, Inventory inventory, MeterRegistry registry) {
    this.repository = repository;
    this.inventory = inventory;
    this.ran = runs(registry, "ran");
    this.skipped = runs(registry, "skipped");
    this.units =
        Counter.builder("sample.restock.units")
            .description("Units added by the restock job")
            .register(registry);
  }

  /**
   * Runs the job if no other instance is running it (or ran it less than 800 ms ago).
   *
   * @return what it did, or {@code null} if another instance held the job's lock and this one
   *     skipped
   */
  @DistributedLock(key = "weft-sample:job:restock", onLocked = OnLocked.SKIP, holdAtLeast = "800ms")
  public RestockRun run() {
    int products = 0;
    for (String sku : repository.lowStock(LOW_STOCK)) {
      try {
        inventory.restock(sku, RESTOCK_UNITS);
        products++;
      } catch (UnknownProductException e) {
        // Discontinued since it was listed: nothing to restock.
      }
    }
    units.increment((double) products * RESTOCK_UNITS);
    return new RestockRun(products, products * RESTOCK_UNITS);
  }

  /**
   * What a scheduler calls: runs the job and counts whether it ran or skipped.
   *
   * @return what it did, or {@code null} if it skipped
   */
  public RestockRun trigger() {
    RestockRun run = run();
    (run == null ? skipped : ran).increment();
    return run;
  }

  private static Counter runs(MeterRegistry registry, String outcome) {
    return Counter.builder("sample.restock.runs")
        .description("Turns of the restock job, by whether this instance ran it or skipped")
        .tag("outcome", outcome)
        .register(registry);
  }
}
