package dev.weft.sample.demo;

import dev.weft.sample.shop.InventoryLine;
import dev.weft.sample.shop.OrderAnalyticsListener;
import dev.weft.sample.shop.OrderEvents;
import dev.weft.sample.shop.OrderService;
import dev.weft.sample.web.IpRateLimit;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * What one demo run measured, every figure from that run: the clients' own counts and response
 * times, and the difference between the service's {@code /metrics} and {@code /inventory} read
 * before and after the load.
 *
 * <p>The stock check is the point of the locks: for every product, the stock after the run must
 * equal the stock before, plus what the restock job added, minus what orders took, as the
 * database's own tables record it; the units the clients were told they ordered (HTTP 201) must
 * equal the units the database holds orders for; and no stock may be below zero.
 *
 * <p>The figure check is the point of the stream: every order event published was processed by
 * the consumers; the best-seller board holds, for every product, exactly the units the database
 * has order lines for; the run's orders and product views in the per-minute counters equal what
 * the clients were answered (201s and 200s); the distinct buyers estimated (HyperLogLog) are
 * within 2 % of those the clients saw; and every session the clients were given was counted.
 */
public final class DemoReport {

  private final LoadDemo.Settings settings;
  private final List<URI> instances;
  private final Duration elapsed;
  private final Tally tally;
  private final Latencies cached;
  private final Latencies uncached;
  private final MetricsSnapshot before;
  private final MetricsSnapshot after;
  private final Map<String, InventoryLine> stockBefore;
  private final Map<String, InventoryLine> stockAfter;
  private final Figures figures;
  private final List<String> stockProblems = new ArrayList<>();
  private final List<String> figureProblems = new ArrayList<>();

  DemoReport(
      LoadDemo.Settings settings, List<URI> instances, Duration elapsed, Tally tally,
      Latencies cached, Latencies uncached, MetricsSnapshot before, MetricsSnapshot after,
      Map<String, InventoryLine> stockBefore, Map<String, InventoryLine> stockAfter,
      Figures figures) {
    this.settings = settings;
    this.instances = instances;
    this.elapsed = elapsed;
    this.tally = tally;
    this.cached = cached;
    this.uncached = uncached;
    this.before = before;
    this.after = after;
    this.stockBefore = stockBefore;
    this.stockAfter = stockAfter;
    this.figures = figures;
    checkStock();
    checkFigures();
  }

  /**
   * What was read from {@code /stats} and {@code /top} besides the metrics, once the consumers
   * had caught up.
   *
   * @param before the counters' totals before the measured load
   * @param after their totals after it
   * @param bestSellers units per product on the board after the load
   * @param caughtUp how long after the load the consumers had processed every event, or empty if
   *     they had not within {@link LoadDemo#CATCH_UP_BOUND}
   * @param warmUp what the clients saw during the warm-up (logins and buyers count for the whole
   *     run)
   */
  record Figures(
      ServiceClient.Figures before, ServiceClient.Figures after, Map<String, Long> bestSellers,
      Optional<Duration> caughtUp, Tally warmUp) {}

  /** @return whether no product was oversold and every acknowledged order is in the database */
  public boolean noOversell() {
    return stockProblems.isEmpty();
  }

  /** @return whether there was no oversell and the stream's figures agree with the database */
  public boolean passed() {
    return noOversell() && figureProblems.isEmpty();
  }

  /** @return order events published since the service started, from {@code /metrics} */
  static double eventsPublished(MetricsSnapshot m) {
    return m.sum("sample_order_events_total", "outcome", "published");
  }

  /** @return order events processed by the consumers since the service started */
  static double eventsConsumed(MetricsSnapshot m) {
    return m.sum("sample_order_events_consumed_total");
  }

  /** @return requests answered */
  private long requests() {
    return tally.requests.sum();
  }

  /** @return requests answered 429 by the per-address limit */
  private long limitedPerAddress() {
    return tally.limitedPerAddress.sum();
  }

  /** @return requests answered 429 by the per-user limit */
  private long limitedPerUser() {
    return tally.limitedPerUser.sum();
  }

  /** @return 429s that lacked {@code Retry-After} or {@code RateLimit-Limit} */
  private long limitedWithoutHeaders() {
    return tally.limitedWithoutHeaders.sum();
  }

  /** @return requests answered 5xx other than 503, or failed on the wire */
  private long errors() {
    return tally.errors.sum();
  }

  /** @return orders placed (HTTP 201) */
  private long ordersPlaced() {
    return tally.ordersPlaced.sum();
  }

  /** @return cache hits during the run, from {@code weft_cache_gets_total} */
  private long cacheHits() {
    return delta("weft_cache_gets_total", "result", "hit");
  }

  /** @return cache misses during the run */
  private long cacheMisses() {
    return delta("weft_cache_gets_total", "result", "miss");
  }

  /** @return turns of the restock job this run, by outcome: {@code ran} or {@code skipped} */
  private long restockTurns(String outcome) {
    return delta("sample_restock_runs_total", "outcome", outcome);
  }

  /**
   * Prints the report.
   *
   * @param out where to
   */
  public void print(PrintStream out) {
    long hits = cacheHits();
    long misses = cacheMisses();
    long statements = delta("sample_db_queries_total");
    long lockTaken = delta("sample_orders_lock_wait_seconds_count");
    double lockWaitSeconds = change("sample_orders_lock_wait_seconds_sum");
    double lockWaitP99 = quantileBound("sample_orders_lock_wait_seconds", 0.99);
    long contended = delta("sample_orders_lock_contended_total");
    long undecided = delta("sample_ratelimit_ip_total", "outcome", "undecided");
    double seconds = elapsed.toNanos() / 1e9;
    long start = sum(stockBefore, InventoryLine::stock);
    long now = sum(stockAfter, InventoryLine::stock);
    long restocked =
        sum(stockAfter, InventoryLine::restocked) - sum(stockBefore, InventoryLine::restocked);
    long ordered = sum(stockAfter, InventoryLine::ordered) - sum(stockBefore, InventoryLine::ordered);

    out.printf(Locale.ROOT,
        "  load         %d clients for %.1f s (after %d s of warm-up, not counted) against %d"
            + " instances:%n",
        settings.clients(), seconds, settings.warmUp().toSeconds(), instances.size());
    out.printf(Locale.ROOT,
        "               %d shoppers (%d users, each with its own address; %d ms between requests),%n",
        settings.clients() - 2, LoadClient.USERS, LoadClient.SHOPPER_PAUSE_MILLIS);
    out.printf(Locale.ROOT,
        "               1 scraper (one address) and 1 order bot (one user, many addresses), %d ms"
            + " between requests%n",
        LoadClient.ABUSER_PAUSE_MILLIS);
    out.println();
    out.printf(Locale.ROOT, "  requests     %,d answered, %,.0f/s; %d errors%s%n",
        requests(), requests() / seconds, errors(),
        errors() == 0 ? "" : " (first: " + tally.firstError.get() + ")");
    out.printf(Locale.ROOT,
        "  cache        hit ratio %.1f %%: %,d hits, %,d misses (products, stock levels, category"
            + " lists)%n",
        hits + misses == 0 ? 0.0 : 100.0 * hits / (hits + misses), hits, misses);
    out.printf(Locale.ROOT,
        "  database     %,d queries avoided (each hit is a query not sent); %,d statements sent%n",
        hits, statements);
    out.printf(Locale.ROOT,
        "  latency      GET /products/{sku}  cache on:  p50 %6.2f ms   p99 %6.2f ms   (%,d reads)%n",
        cached.millisAt(0.50), cached.millisAt(0.99), cached.count());
    out.printf(Locale.ROOT,
        "                                    cache off: p50 %6.2f ms   p99 %6.2f ms   (%,d reads,"
            + " Cache-Control: no-cache)%n",
        uncached.millisAt(0.50), uncached.millisAt(0.99), uncached.count());
    out.printf(Locale.ROOT,
        "  rate limits  %,d answered 429: %,d per address (%d/s), %,d per user (%d orders/s); %s%n",
        tally.limited(), limitedPerAddress(), IpRateLimit.REQUESTS_PER_SECOND, limitedPerUser(),
        OrderService.ORDERS_PER_USER,
        limitedWithoutHeaders() == 0
            ? "every one with Retry-After and RateLimit-*"
            : limitedWithoutHeaders() + " WITHOUT Retry-After or RateLimit-*");
    if (undecided > 0) {
      out.printf(Locale.ROOT, "               %,d requests passed undecided (Redis unreachable)%n", undecided);
    }
    out.printf(Locale.ROOT,
        "  locks        %,d orders took their product's lock: %,d found another order of it in"
            + " progress; time to get the lock: mean %.2f ms, p99 under %s%n",
        lockTaken, contended, lockTaken == 0 ? 0.0 : lockWaitSeconds * 1000 / lockTaken,
        Double.isInfinite(lockWaitP99) ? "more than 2 s" : millis(lockWaitP99));
    out.printf(Locale.ROOT,
        "  orders       %,d placed (%,d units), %,d refused as out of stock (409), %,d refused as"
            + " unavailable (503)%n",
        ordersPlaced(), totalUnitsAcknowledged(), tally.outOfStock.sum(), tally.unavailable.sum());
    out.printf(Locale.ROOT,
        "  restock job  ran %d times, skipped %d times (another instance held the job's lock);"
            + " added %,d units%n",
        restockTurns("ran"), restockTurns("skipped"), restocked);
    out.printf(Locale.ROOT,
        "  stock        %,d at start + %,d restocked - %,d ordered = %,d in stock now, in %d"
            + " products%n",
        start, restocked, ordered, now, stockAfter.size());
    out.printf(Locale.ROOT,
        "               units ordered in the database: %,d; units acknowledged to clients (201):"
            + " %,d; lowest stock: %d%n",
        ordered, totalUnitsAcknowledged(),
        stockAfter.values().stream().mapToInt(InventoryLine::stock).min().orElse(0));
    printFigures(out);
    out.println();
    if (noOversell()) {
      out.println("  PASSED: no oversell. Every product's stock = start + restocked - ordered,"
          + " none below zero, and every acknowledged order is in the database.");
    } else {
      out.println("  FAILED: the stock does not add up:");
      stockProblems.forEach(p -> out.println("    " + p));
    }
    if (figureProblems.isEmpty()) {
      out.printf(Locale.ROOT,
          "  PASSED: the figures agree. Every order event was processed, the best-seller board's"
              + " units equal the database's for all %d products, and the counters equal the"
              + " clients' counts.%n",
          stockAfter.size());
    } else {
      out.println("  FAILED: the figures do not agree:");
      figureProblems.forEach(p -> out.println("    " + p));
    }
  }

  private void printFigures(PrintStream out) {
    long published = delta("sample_order_events_total", "outcome", "published");
    NavigableMap<String, Double> consumedBefore =
        before.byLabel("sample_order_events_consumed_total", "consumer");
    NavigableMap<String, Double> consumedAfter =
        after.byLabel("sample_order_events_consumed_total", "consumer");
    List<String> split = new ArrayList<>();
    long consumed = 0;
    for (Map.Entry<String, Double> c : consumedAfter.entrySet()) {
      long n = Math.round(c.getValue() - consumedBefore.getOrDefault(c.getKey(), 0.0));
      split.add(String.format(Locale.ROOT, "%,d", n));
      consumed += n;
    }
    out.printf(Locale.ROOT,
        "  sessions     %,d created by POST /login since start (each user logs in before its first"
            + " order), %,d ended by POST /logout;%n",
        Math.round(after.sum("sample_sessions_total", "event", "created")),
        Math.round(after.sum("sample_sessions_total", "event", "ended")));
    out.printf(Locale.ROOT,
        "               every order names its user by session cookie; %,d answered 401 (logged out"
            + " by another client meanwhile)%n",
        tally.unauthorized.sum());
    out.printf(Locale.ROOT,
        "  events       %,d orders published to the stream %s in the run, %,d processed by the"
            + " group %s (%d consumers: %s);%n",
        published, OrderEvents.STREAM, consumed, OrderAnalyticsListener.GROUP, split.size(),
        String.join(" + ", split));
    out.printf(Locale.ROOT, "               %s%n",
        figures.caughtUp().isPresent()
            ? String.format(Locale.ROOT,
                "all %,d events since start processed %d ms after the load ended",
                Math.round(eventsPublished(after)), figures.caughtUp().get().toMillis())
            : String.format(Locale.ROOT, "only %,d of %,d events since start processed %d s after"
                    + " the load ended",
                Math.round(eventsConsumed(after)), Math.round(eventsPublished(after)),
                LoadDemo.CATCH_UP_BOUND.toSeconds()));
    List<String> podium = new ArrayList<>();
    figures.bestSellers().entrySet().stream().limit(3)
        .forEach(e -> podium.add(String.format(Locale.ROOT, "%s %,d units", e.getKey(), e.getValue())));
    long matching =
        stockAfter.values().stream()
            .filter(l -> figures.bestSellers().getOrDefault(l.sku(), 0L) == l.ordered())
            .count();
    out.printf(Locale.ROOT,
        "  best sellers %s (GET /top);%n               units on the board equal the database's"
            + " order lines for %d of %d products%n",
        String.join(", ", podium), matching, stockAfter.size());
    ServiceClient.Figures start = figures.before();
    ServiceClient.Figures end = figures.after();
    out.printf(Locale.ROOT,
        "  counters     %,d orders and %,d product views counted in the run (GET /stats, minute"
            + " buckets); the clients: %,d orders placed (201), %,d product reads (200)%n",
        end.orders() - start.orders(), end.productViews() - start.productViews(),
        ordersPlaced(), tally.productViews.sum());
    out.printf(Locale.ROOT,
        "               %,d unique buyers since start (HyperLogLog estimate); the clients saw %,d"
            + " distinct buyers%n",
        end.uniqueBuyers(), distinctBuyers());
  }

  private void checkFigures() {
    if (figures.caughtUp().isEmpty()) {
      figureProblems.add("the consumers had processed " + Math.round(eventsConsumed(after))
          + " of " + Math.round(eventsPublished(after)) + " events " + LoadDemo.CATCH_UP_BOUND.toSeconds()
          + " s after the load");
    }
    long unpublished = Math.round(after.sum("sample_order_events_total", "outcome", "failed"));
    if (unpublished > 0) {
      figureProblems.add(unpublished + " placed orders' events could not be published");
    }
    for (InventoryLine line : stockAfter.values()) {
      long board = figures.bestSellers().getOrDefault(line.sku(), 0L);
      if (board != line.ordered()) {
        figureProblems.add(line.sku() + ": " + board + " units on the best-seller board, "
            + line.ordered() + " in the database's order lines");
      }
    }
    long orders = figures.after().orders() - figures.before().orders();
    if (orders != ordersPlaced()) {
      figureProblems.add("orders counted in the run: " + orders + "; placed (201): " + ordersPlaced());
    }
    long views = figures.after().productViews() - figures.before().productViews();
    if (views != tally.productViews.sum()) {
      figureProblems.add("product views counted in the run: " + views + "; answered (200): "
          + tally.productViews.sum());
    }
    long buyers = distinctBuyers();
    long estimate = figures.after().uniqueBuyers();
    if (Math.abs(estimate - buyers) > Math.max(2, buyers / 50)) {
      figureProblems.add("unique buyers estimated: " + estimate + "; the clients saw " + buyers
          + " (more than 2 % apart)");
    }
    long created = Math.round(after.sum("sample_sessions_total", "event", "created"));
    long logins = figures.warmUp().logins.sum() + tally.logins.sum();
    if (created != logins) {
      figureProblems.add("sessions created: " + created + "; logins answered 200: " + logins);
    }
  }

  /** @return distinct users who had an order placed, warm-up included */
  private long distinctBuyers() {
    Set<String> buyers = new HashSet<>(figures.warmUp().buyers);
    buyers.addAll(tally.buyers);
    return buyers.size();
  }

  private void checkStock() {
    for (InventoryLine after : stockAfter.values()) {
      InventoryLine before = stockBefore.get(after.sku());
      long acknowledged = tally.unitsOrdered(after.sku());
      long ordered = after.ordered() - (before == null ? 0 : before.ordered());
      if (!after.balanced()) {
        stockProblems.add(after.sku() + ": ledger does not balance: " + after);
      }
      if (after.stock() < 0) {
        stockProblems.add(after.sku() + ": stock below zero: " + after.stock());
      }
      if (ordered != acknowledged) {
        stockProblems.add(after.sku() + ": " + ordered + " units ordered in the database, "
            + acknowledged + " acknowledged to clients");
      }
      if (before != null
          && after.stock() != before.stock() + (after.restocked() - before.restocked()) - ordered) {
        stockProblems.add(after.sku() + ": stock " + before.stock() + " -> " + after.stock()
            + " does not match restocks and orders");
      }
    }
  }

  private long totalUnitsAcknowledged() {
    return stockAfter.keySet().stream().mapToLong(tally::unitsOrdered).sum();
  }

  /**
   * @return the smallest bucket bound (seconds) under which {@code quantile} of the run's
   *     observations of a histogram fell, from the buckets' growth during the run
   */
  private double quantileBound(String histogram, double quantile) {
    NavigableMap<Double, Double> start = before.buckets(histogram);
    NavigableMap<Double, Double> end = after.buckets(histogram);
    if (end.isEmpty()) {
      return 0;
    }
    double total = end.lastEntry().getValue() - start.getOrDefault(end.lastKey(), 0.0);
    for (Map.Entry<Double, Double> bucket : end.entrySet()) {
      double count = bucket.getValue() - start.getOrDefault(bucket.getKey(), 0.0);
      if (count >= quantile * total) {
        return bucket.getKey();
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  private static String millis(double seconds) {
    return String.format(Locale.ROOT, seconds < 0.01 ? "%.1f ms" : "%.0f ms", seconds * 1000);
  }

  private double change(String name) {
    return after.sum(name) - before.sum(name);
  }

  private long delta(String name) {
    return Math.round(change(name));
  }

  private long delta(String name, String label, String value) {
    return Math.round(after.sum(name, label, value) - before.sum(name, label, value));
  }

  private static long sum(Map<String, InventoryLine> lines, ToLongFunction<InventoryLine> f) {
    return lines.values().stream().mapToLong(f).sum();
  }
}
