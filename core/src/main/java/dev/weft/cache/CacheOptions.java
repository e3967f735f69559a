package dev.weft.cache;

import dev.weft.internal.plan.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a programmatic {@link WeftCache}, the same as {@code @Cached}'s attributes. Immutable;
 * each {@code with...} method returns a copy.
 *
 * <pre>{@code
 * WeftCache<Product> products =
 *     weft.cache(Product.class, CacheOptions.ttl("10m").staleWhileRevalidate("1m").near(true));
 * }</pre>
 *
 * @param ttl each entry's time to live, positive
 * @param jitter random extra lifetime, zero for none
 * @param cacheNulls whether {@code null} results are cached
 * @param staleWhileRevalidate how long an expired entry is still served while it is refreshed
 * @param earlyRefresh whether XFetch early refresh is on
 * @param near whether a local tier is kept in front of Redis
 * @param loadTimeout the stampede lock's lease
 */
public record CacheOptions(
    Duration ttl,
    Duration jitter,
    boolean cacheNulls,
    Duration staleWhileRevalidate,
    boolean earlyRefresh,
    boolean near,
    Duration loadTimeout) {

  /** Checks the values. */
  public CacheOptions {
    positive(ttl, "ttl");
    positive(loadTimeout, "loadTimeout");
    notNegative(jitter, "jitter");
    notNegative(staleWhileRevalidate, "staleWhileRevalidate");
  }

  /**
   * @param ttl a duration string such as {@code "10m"}, or {@code "${property:default}"}
   * @return defaults (as {@code @Cached}'s) with this time to live
   */
  public static CacheOptions ttl(String ttl) {
    return ttl(Durations.positive(ttl));
  }

  /**
   * @param ttl each entry's time to live, positive
   * @return defaults (as {@code @Cached}'s) with this time to live
   */
  public static CacheOptions ttl(Duration ttl) {
    return new CacheOptions(ttl, Duration.ZERO, true, Duration.ZERO, false, false, Duration.ofSeconds(10));
  }

  /** @return a copy with this jitter, e.g. {@code "30s"} */
  public CacheOptions jitter(String jitter) {
    return new CacheOptions(ttl, Durations.optional(jitter), cacheNulls, staleWhileRevalidate,
        earlyRefresh, near, loadTimeout);
  }

  /** @return a copy that caches {@code null} or not */
  public CacheOptions cacheNulls(boolean cache) {
    return new CacheOptions(ttl, jitter, cache, staleWhileRevalidate, earlyRefresh, near, loadTimeout);
  }

  /** @return a copy with this stale window, e.g. {@code "1m"} */
  public CacheOptions staleWhileRevalidate(String window) {
    return new CacheOptions(ttl, jitter, cacheNulls, Durations.optional(window), earlyRefresh, near,
        loadTimeout);
  }

  /** @return a copy with early refresh on or off */
  public CacheOptions earlyRefresh(boolean on) {
    return new CacheOptions(ttl, jitter, cacheNulls, staleWhileRevalidate, on, near, loadTimeout);
  }

  /** @return a copy with the local tier on or off */
  public CacheOptions near(boolean on) {
    return new CacheOptions(ttl, jitter, cacheNulls, staleWhileRevalidate, earlyRefresh, on, loadTimeout);
  }

  /** @return a copy with this load lease, e.g. {@code "5s"} */
  public CacheOptions loadTimeout(String lease) {
    return new CacheOptions(ttl, jitter, cacheNulls, staleWhileRevalidate, earlyRefresh, near,
        Durations.positive(lease));
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }

  private static void notNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + d);
    }
  }
}
