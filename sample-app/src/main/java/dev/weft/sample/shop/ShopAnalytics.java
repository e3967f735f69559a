package dev.weft.sample.shop;

import dev.weft.Weft;
import dev.weft.annotation.Counted;
import dev.weft.counter.Counter;
import dev.weft.counter.CounterBucket;
import dev.weft.counter.CounterOptions;
import dev.weft.counter.Granularity;
import dev.weft.counter.UniqueCounter;
import dev.weft.leaderboard.Leaderboard;
import dev.weft.leaderboard.LeaderboardEntry;
import dev.weft.leaderboard.LeaderboardOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The shop's live figures, kept in Redis and shared by every instance: the best-selling products
 * by units (a {@link Leaderboard}), orders and product views per minute (a {@link Counter}), and
 * distinct buyers per minute (a {@link UniqueCounter}, HyperLogLog). Orders reach it through the
 * stream of {@link OrderEvents}, read by {@link OrderAnalyticsListener}; views are counted where
 * they are served.
 *
 * <p>Minute buckets kept for {@value #RETENTION_MINUTES} minutes after they end, so {@link
 * #stats} covers at most the last hour. Buckets are chosen on Redis's clock (one clock for every
 * instance); the ranges read here are on this JVM's, which on one machine is the same clock.
 *
 * <p>Views are counted by {@code @Counted} on {@link #productViewed}: the increment is sent
 * without waiting for Redis, and never fails or delays a read; if Redis cannot count it, the view
 * is lost from the figures and counted in Weft's {@code weft.counted.errors}.
 */
public final class ShopAnalytics {

  /** How long a minute's counts are kept after the minute ends. */
  public static final int RETENTION_MINUTES = 60;

  private static final String RETENTION = RETENTION_MINUTES + "m";

  private static final String COUNTERS = "weft-sample";
  private static final String BUYERS = "weft-sample.buyers";
  private static final String ORDERS = "orders";
  private static final String VIEWS = "product-views";
  private static final Duration MINUTE = Granularity.MINUTE.length();

  private final Weft weft;
  private final Leaderboard bestSellers;
  private final Counter counts;
  private final UniqueCounter buyers;
  private final Clock clock;

  /**
   * @param weft the runtime whose Redis holds the figures, not {@code null}
   */
  public ShopAnalytics(Weft weft) {
    this.weft = weft;
    this.bestSellers =
        weft.leaderboard("weft-sample.best-sellers", LeaderboardOptions.defaults().keepTop(1_000));
    CounterOptions perMinute =
        CounterOptions.defaults().granularity(Granularity.MINUTE).retention(Duration.ofMinutes(
            RETENTION_MINUTES));
    this.counts = weft.counter(COUNTERS, perMinute);
    this.buyers = weft.uniqueCounter(BUYERS, perMinute);
    this.clock = Clock.systemUTC();
  }

  /**
   * Counts one placed order: its units on the best-seller board, one order and its buyer in the
   * current minute. Called once per delivery of the order's event; a redelivery adds nothing.
   *
   * @param order the order's event
   * @param eventId the event's id (its stream entry's): a delivery of an event seen before adds
   *     nothing
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unavailable (the event stays
   *     pending, and is delivered again)
   */
  void record(OrderPlaced order, String eventId) {
    bestSellers.increment(order.sku(), order.quantity(), eventId);
    counts.increment(ORDERS, 1, eventId);
    buyers.add(ORDERS, order.userId());
  }

  /**
   * Counts one product view in the current minute (and one view of the product, for the product's
   * own series); the body is empty, {@code @Counted} does the counting. Never throws.
   *
   * @param sku the product viewed
   */
  @Counted(name = COUNTERS, key = VIEWS, retention = RETENTION)
  @Counted(name = COUNTERS, key = "product-views:{sku}", retention = RETENTION)
  public void productViewed(String sku) {}

  /**
   * @param n how many, 1 to 1,000
   * @return the {@code n} best-selling products by units, best first
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unavailable
   */
  public List<LeaderboardEntry> bestSellers(int n) {
    return bestSellers.top(n);
  }

  /**
   * The last {@code minutes} minutes, the current one included.
   *
   * @param minutes how many minutes, 1 to {@value #RETENTION_MINUTES}
   * @return orders, product views and distinct buyers per minute, oldest first, and their totals
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unavailable
   */
  public Stats stats(int minutes) {
    Instant to = Granularity.MINUTE.bucketStart(clock.instant()).plus(MINUTE);
    Instant from = to.minus(MINUTE.multipliedBy(minutes));
    List<CounterBucket> orders = counts.series(ORDERS, from, to);
    List<CounterBucket> views = counts.series(VIEWS, from, to);
    List<Minute> distinct = new ArrayList<>();
    for (Instant start = from; start.isBefore(to); start = start.plus(MINUTE)) {
      distinct.add(new Minute(start.toString(), buyers.count(ORDERS, start, start.plus(MINUTE))));
    }
    return new Stats(
        minutes, series(orders), series(views),
        new Series(buyers.count(ORDERS, from, to), distinct));
  }

  /**
   * Removes the board and the counts. The database is new on every start, so figures of an
   * earlier run would not match it.
   */
  public void clear() {
    bestSellers.clear();
    weft.invalidateNamespace("weft:ctr:" + COUNTERS + ":");
    weft.invalidateNamespace("weft:uc:" + BUYERS + ":");
  }

  private static Series series(List<CounterBucket> buckets) {
    List<Minute> minutes = new ArrayList<>();
    long total = 0;
    for (CounterBucket b : buckets) {
      minutes.add(new Minute(b.start().toString(), b.count()));
      total += b.count();
    }
    return new Series(total, minutes);
  }

  /**
   * @param minutes how many minutes the figures cover
   * @param orders orders placed
   * @param productViews product reads answered
   * @param uniqueBuyers distinct users who ordered: per minute, and over the whole range (a user
   *     who ordered in several minutes counts once), estimated (HyperLogLog, about 0.81 %)
   */
  public record Stats(int minutes, Series orders, Series productViews, Series uniqueBuyers) {}

  /**
   * @param total over the whole range
   * @param perMinute one count per minute, oldest first
   */
  public record Series(long total, List<Minute> perMinute) {}

  /**
   * @param start the minute's start, ISO-8601 UTC
   * @param count its count
   */
  public record Minute(String start, long count) {}
}
