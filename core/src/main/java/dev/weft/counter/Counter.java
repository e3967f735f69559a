package dev.weft.counter;

import dev.weft.Weft;
import dev.weft.internal.EventIds;
import dev.weft.internal.PatternFactories;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.internal.redis.Script;
import io.lettuce.core.KeyValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Counters bucketed by time, shared by every process that uses the same Redis and name: each key
 * (a page, a user, an endpoint) has a series of counts, one per minute (or second, hour, day),
 * each kept for the configured retention.
 *
 * <pre>{@code
 * Counter views = weft.counter("page-views",
 *     CounterOptions.defaults().granularity(Granularity.MINUTE).retention(Duration.ofDays(1)));
 * views.increment("home");
 * views.increment("home", 5);
 * views.incrementAsync("home");             // sent without waiting for the reply
 * List<CounterBucket> lastHour = views.series("home", now.minus(Duration.ofHours(1)), now);
 * long today = views.total("home", today, now);
 * }</pre>
 *
 * <h2>Design</h2>
 *
 * A bucket is one string counter, {@code weft:ctr:<name>:{<key>}:<m|s|h|d>:<start>}, where
 * {@code start} is the bucket's start in epoch seconds; the user's key is the hash tag, so one
 * series is in one cluster slot. An increment is one script, {@code counter_incr.lua}: it reads
 * Redis's clock ({@code TIME}), picks the bucket, {@code INCRBY}s it and sets its expiry to the
 * bucket's end plus the retention ({@code EXPIREAT}, on the same clock), so no bucket outlives
 * its retention and none is written without an expiry.
 *
 * <p><b>Whose clock.</b> Buckets follow Redis's clock, never the client's: a counter incremented
 * from many processes must put the increments of one instant into one bucket, and the clocks of
 * many hosts disagree by milliseconds to seconds, which at a minute boundary sends simultaneous
 * increments to different buckets. Redis's {@code TIME} is one clock for all of them. Each
 * increment returns the bucket it landed in, so a caller sees which one that was. (The script
 * derives the bucket's key from {@code KEYS[1]}, a prefix carrying the hash tag, so the key it
 * writes is always in the slot the script was routed to.)
 *
 * <p>{@link #incrementAsync} sends the same script without waiting for its reply (the gateway's
 * asynchronous path, through the same circuit breaker and timeout), for callers that must not be
 * slowed or failed by Redis: {@code @Counted} counts a method's calls with it.
 *
 * <p>Reads ({@link #series}, {@link #total}) take instants chosen by the caller and read every
 * bucket of the range with one {@code MGET}; missing buckets (never written, or expired) are 0.
 * A range covers every bucket that overlaps the half-open interval {@code [from, to)}, oldest
 * first, at most {@value Counter#MAX_BUCKETS} buckets.
 *
 * <h2>Failures</h2>
 *
 * No policy of its own: while Redis is unavailable every method throws {@link
 * dev.weft.exception.WeftUnavailableException} (an error reply, a defect, is Lettuce's exception),
 * never a zero; {@link #incrementAsync} completes its future with it instead.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Counter {

  /**
   * The most buckets one read covers: {@link #series}, {@link #total}, {@link
   * UniqueCounter#count}.
   */
  public static final int MAX_BUCKETS = 10_000;

  private static final Script<CounterBucket> INCR =
      Script.multi(
          "counter_incr",
          reply -> new CounterBucket(Instant.ofEpochSecond((Long) reply.get(0)), (Long) reply.get(1)));

  private final RedisGateway redis;
  private final String name;
  private final CounterOptions options;
  private final SeriesKeys keys;
  private final long sizeSeconds;
  private final long retentionSeconds;

  private Counter(RedisGateway redis, String name, CounterOptions options) {
    this.redis = redis;
    this.name = name;
    this.options = options;
    this.keys = new SeriesKeys(redis.keys().internal("ctr:"), name, options.granularity());
    this.sizeSeconds = options.granularity().seconds();
    this.retentionSeconds = options.retention().getSeconds();
  }

  static {
    PatternFactories.register(
        Counter.class,
        (weft, name, options, c, d) -> of(weft, (String) name, (CounterOptions) options));
  }

  /**
   * The counter named {@code name} on the runtime's Redis. Counters with equal names and
   * granularities share their buckets, in every process; give processes that share a counter the
   * same options.
   *
   * @param weft the runtime whose Redis holds the counts, not {@code null}
   * @param name the counter's name: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}
   * @param options its granularity and retention, not {@code null}
   * @return the counter, never {@code null}; nothing is sent to Redis yet
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code name} is not a valid name
   */
  static Counter of(Weft weft, String name, CounterOptions options) {
    Objects.requireNonNull(weft, "weft");
    Objects.requireNonNull(options, "options");
    return new Counter(WeftAccess.redis(weft), SeriesKeys.checkName("counter", name), options);
  }

  /**
   * Adds 1 to the current bucket of {@code key}.
   *
   * @param key what is counted, not {@code null}, not empty; any characters
   * @return the bucket the increment landed in (chosen on Redis's clock) and its count after it
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public CounterBucket increment(String key) {
    return increment(key, 1);
  }

  /**
   * Adds {@code n} to the current bucket of {@code key}.
   *
   * @param key what is counted, not {@code null}, not empty; any characters
   * @param n what to add; may be negative (a correction), but not 0
   * @return the bucket the increment landed in (chosen on Redis's clock) and its count after it
   * @throws IllegalArgumentException if {@code n} is 0 or {@code key} is empty
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public CounterBucket increment(String key, long n) {
    return add(key, n, null);
  }

  /**
   * Adds {@code n} to the current bucket of {@code key} once per event: a second call with the
   * same {@code eventId} (within a day, whatever bucket is current then) adds
   * nothing. For consumers of at-least-once deliveries, such as a {@code @StreamListener}, whose
   * events can arrive again after a crash: pass the stream entry's id.
   *
   * @param key what is counted, not {@code null}, not empty; any characters
   * @param n what to add; may be negative (a correction), but not 0
   * @param eventId the event's id, 1 to 200 characters
   * @return the bucket the increment landed in and its count after it; for an event seen before,
   *     the current bucket and its count as it stands
   * @throws IllegalArgumentException if {@code n} is 0, or {@code key} or {@code eventId} is empty
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public CounterBucket increment(String key, long n, String eventId) {
    return add(key, n, EventIds.check(eventId));
  }

  private CounterBucket add(String key, long n, String eventId) {
    String series = keys.series(key);
    if (n == 0) {
      throw new IllegalArgumentException("n must not be 0: adding nothing would only extend a"
          + " bucket's life");
    }
    String[] scriptKeys =
        eventId == null ? new String[] {series} : new String[] {series, keys.seen(key, eventId)};
    return redis.run(
        INCR.keys(scriptKeys).arg(sizeSeconds).arg(n).arg(retentionSeconds).arg(EventIds.WINDOW));
  }

  /**
   * Adds 1 to the current bucket of {@code key} without waiting for Redis: the increment is sent
   * and this method returns at once. For counting on a path that must not slow down or fail
   * because of Redis (what {@code @Counted} does).
   *
   * @param key what is counted, not {@code null}, not empty; any characters
   * @return a future of the bucket the increment landed in and its count after it, completed on
   *     Lettuce's I/O thread (do not block in what depends on it), or completed exceptionally with
   *     {@link dev.weft.exception.WeftUnavailableException} for an outage or an open circuit
   *     breaker; never {@code null}
   * @throws IllegalArgumentException if {@code key} is empty
   */
  public CompletableFuture<CounterBucket> incrementAsync(String key) {
    return incrementAsync(key, 1);
  }

  /**
   * Adds {@code n} to the current bucket of {@code key} without waiting for Redis; see {@link
   * #incrementAsync(String)}.
   *
   * @param key what is counted, not {@code null}, not empty; any characters
   * @param n what to add; may be negative (a correction), but not 0
   * @return a future of the bucket the increment landed in and its count after it; see {@link
   *     #incrementAsync(String)}
   * @throws IllegalArgumentException if {@code n} is 0 or {@code key} is empty
   */
  public CompletableFuture<CounterBucket> incrementAsync(String key, long n) {
    String series = keys.series(key);
    if (n == 0) {
      throw new IllegalArgumentException("n must not be 0: adding nothing would only extend a"
          + " bucket's life");
    }
    return redis.runAsync(INCR.keys(series).arg(sizeSeconds).arg(n).arg(retentionSeconds));
  }

  /**
   * The counts of {@code key} over a range, one per bucket, read in one round trip.
   *
   * @param key what is counted, not {@code null}, not empty
   * @param from the range's start, inclusive, not {@code null}
   * @param to the range's end, exclusive, not {@code null}, not before {@code from}
   * @return every bucket overlapping {@code [from, to)}, oldest first, with 0 for buckets never
   *     written or expired; empty if {@code from} equals {@code to}; never {@code null}
   * @throws IllegalArgumentException if {@code to} is before {@code from}, or the range covers
   *     more than {@value Counter#MAX_BUCKETS} buckets
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public List<CounterBucket> series(String key, Instant from, Instant to) {
    String[] bucketKeys = keys.keys(key, from, to);
    if (bucketKeys.length == 0) {
      return List.of();
    }
    List<KeyValue<String, byte[]>> values = redis.execute(c -> c.mget(bucketKeys));
    long first = keys.first(from);
    long step = options.granularity().seconds();
    List<CounterBucket> series = new ArrayList<>(bucketKeys.length);
    for (int i = 0; i < bucketKeys.length; i++) {
      KeyValue<String, byte[]> value = values.get(i);
      long count = value.hasValue()
          ? Long.parseLong(new String(value.getValue(), StandardCharsets.US_ASCII))
          : 0;
      series.add(new CounterBucket(Instant.ofEpochSecond(first + i * step), count));
    }
    return series;
  }

  /**
   * The sum of {@link #series}, read in one round trip.
   *
   * @param key what is counted, not {@code null}, not empty
   * @param from the range's start, inclusive, not {@code null}
   * @param to the range's end, exclusive, not {@code null}, not before {@code from}
   * @return the sum of the counts of every bucket overlapping {@code [from, to)}
   * @throws IllegalArgumentException as {@link #series} does
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public long total(String key, Instant from, Instant to) {
    long total = 0;
    for (CounterBucket bucket : series(key, from, to)) {
      total += bucket.count();
    }
    return total;
  }

  /**
   * Deletes every bucket of {@code key}'s series, so its counts read as 0 from now on (a user's
   * data removed on request, a series reset). The buckets that can exist are those of the
   * retention up to now on Redis's clock, so their keys are computed, not searched for, and
   * deleted 1,000 at a time; a counter whose retention spans many buckets (a
   * year of minutes is 525,600) takes that many keys' worth of round trips. Increments made while
   * it runs may survive it. Event-id records ({@link #increment(String, long, String)}) are not
   * deleted: they hold no count and expire on their own.
   *
   * @param key what is counted, not {@code null}, not empty
   * @return how many buckets existed and were deleted
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public long delete(String key) {
    return keys.delete(redis, key, options.retention());
  }

  /** @return the counter's name, never {@code null} */
  public String name() {
    return name;
  }

  /** @return its options, never {@code null} */
  public CounterOptions options() {
    return options;
  }

  @Override
  public String toString() {
    return "Counter[" + name + ", " + options + "]";
  }
}
