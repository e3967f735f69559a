package dev.weft.counter;

import dev.weft.Weft;
import dev.weft.internal.PatternFactories;
import dev.weft.internal.WeftAccess;
import dev.weft.internal.redis.RedisGateway;
import dev.weft.internal.redis.Script;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Counts of distinct members (visitors, devices) by time bucket, estimated by HyperLogLog: each
 * bucket takes at most 12 KB whatever the number of members, and a count has a standard error of
 * 0.81% (Flajolet et al., "HyperLogLog: the analysis of a near-optimal cardinality estimation
 * algorithm", 2007, as implemented by Redis's {@code PFADD}/{@code PFCOUNT}).
 *
 * <pre>{@code
 * UniqueCounter visitors = weft.uniqueCounter("visitors",
 *     CounterOptions.defaults().granularity(Granularity.HOUR).retention(Duration.ofDays(30)));
 * visitors.add("home", userId);
 * long today = visitors.count("home", midnight, now);   // distinct over the whole range
 * }</pre>
 *
 * <h2>Design</h2>
 *
 * A bucket is one HyperLogLog, {@code weft:uc:<name>:{<key>}:<m|s|h|d>:<start>}, chosen on
 * Redis's clock and given its expiry (the bucket's end plus the retention) by the same script,
 * {@code counter_unique_add.lua}, exactly as {@link Counter} does; see there for why Redis's
 * clock. A count over a range is one {@code PFCOUNT} of every bucket key in it, which Redis
 * answers with the cardinality of their union, so a member seen in several buckets counts once.
 * All buckets of one key share the key as hash tag, which is what lets that {@code PFCOUNT} run on
 * a cluster.
 *
 * <p>No failure policy of its own: an outage is a {@link
 * dev.weft.exception.WeftUnavailableException}, never a zero. Instances are immutable and
 * thread-safe.
 */
public final class UniqueCounter {

  /** The most members one script call adds; {@link #add} splits larger batches. */
  public static final int BATCH = 1_000;

  /** Whether the bucket's estimate changed; the bucket's start in the reply is not needed. */
  private static final Script<Boolean> ADD =
      Script.multi("counter_unique_add", reply -> (Long) reply.get(1) == 1L);

  private final RedisGateway redis;
  private final String name;
  private final CounterOptions options;
  private final SeriesKeys keys;
  private final long sizeSeconds;
  private final long retentionSeconds;

  private UniqueCounter(RedisGateway redis, String name, CounterOptions options) {
    this.redis = redis;
    this.name = name;
    this.options = options;
    this.keys = new SeriesKeys(redis.keys().internal("uc:"), name, options.granularity());
    this.sizeSeconds = options.granularity().seconds();
    this.retentionSeconds = options.retention().getSeconds();
  }

  static {
    PatternFactories.register(
        UniqueCounter.class,
        (weft, name, options, c, d) -> of(weft, (String) name, (CounterOptions) options));
  }

  /**
   * The unique counter named {@code name} on the runtime's Redis, shared by every process that
   * uses the same name and granularity.
   *
   * @param weft the runtime whose Redis holds the counts, not {@code null}
   * @param name the counter's name: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}
   * @param options its granularity and retention, not {@code null}
   * @return the counter, never {@code null}; nothing is sent to Redis yet
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code name} is not a valid name
   */
  static UniqueCounter of(Weft weft, String name, CounterOptions options) {
    Objects.requireNonNull(weft, "weft");
    Objects.requireNonNull(options, "options");
    return new UniqueCounter(
        WeftAccess.redis(weft), SeriesKeys.checkName("unique counter", name), options);
  }

  /**
   * Records members in the current bucket of {@code key}.
   *
   * @param key what is counted, not {@code null}, not empty
   * @param members the members seen, not {@code null}, none {@code null}; may be empty
   * @return whether the bucket's estimate changed (as {@code PFADD} reports it)
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public boolean add(String key, String... members) {
    Objects.requireNonNull(members, "members");
    return add(key, Arrays.asList(members));
  }

  /**
   * Records members in the current bucket of {@code key}, {@value #BATCH} per script call.
   *
   * @param key what is counted, not {@code null}, not empty
   * @param members the members seen, not {@code null}, none {@code null}; may be empty
   * @return whether the bucket's estimate changed
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public boolean add(String key, Collection<String> members) {
    String series = keys.series(key);
    Objects.requireNonNull(members, "members");
    if (members.isEmpty()) {
      return false;
    }
    boolean changed = false;
    List<String> all = List.copyOf(members);
    for (int from = 0; from < all.size(); from += BATCH) {
      List<String> batch = all.subList(from, Math.min(all.size(), from + BATCH));
      Script.Call<Boolean> call = ADD.keys(series).arg(sizeSeconds).arg(retentionSeconds);
      for (String member : batch) {
        call.arg(member);
      }
      changed |= redis.run(call);
    }
    return changed;
  }

  /**
   * The estimated number of distinct members of {@code key} over a range, in one {@code PFCOUNT}.
   *
   * @param key what is counted, not {@code null}, not empty
   * @param from the range's start, inclusive, not {@code null}
   * @param to the range's end, exclusive, not {@code null}, not before {@code from}
   * @return the distinct members added in the buckets overlapping {@code [from, to)}, each
   *     counted once however many buckets it is in; 0 for an empty range
   * @throws IllegalArgumentException if {@code to} is before {@code from}, or the range covers
   *     more than {@value Counter#MAX_BUCKETS} buckets
   * @throws dev.weft.exception.WeftUnavailableException if Redis was unreachable or slow
   */
  public long count(String key, Instant from, Instant to) {
    String[] bucketKeys = keys.keys(key, from, to);
    if (bucketKeys.length == 0) {
      return 0;
    }
    return redis.execute(c -> c.pfcount(bucketKeys));
  }

  /**
   * Deletes every bucket of {@code key}'s series, as {@link Counter#delete} does.
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
    return "UniqueCounter[" + name + ", " + options + "]";
  }
}
