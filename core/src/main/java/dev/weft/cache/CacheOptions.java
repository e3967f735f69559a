package dev.weft.cache;

import dev.weft.internal.OptionDurations;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a programmatic {@link WeftCache}, the same as {@code @Cached}'s attributes. Immutable:
 * start from {@link #defaults()}; each setter returns a copy. Durations are taken as {@link
 * Duration} or as the annotations' text ({@code "10m"}).
 *
 * <pre>{@code
 * WeftCache<Product> products =
 *     weft.cache(Product.class, CacheOptions.defaults().ttl("10m").staleWhileRevalidate("1m").near(true));
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

  private static final CacheOptions DEFAULTS =
      new CacheOptions(Duration.ofMinutes(10), Duration.ZERO, true, Duration.ZERO, false, false,
          Duration.ofSeconds(10));

  /**
   * @return {@code @Cached}'s defaults: a 10-minute TTL, no jitter, {@code null} cached, no stale
   *     window, no early refresh, no near tier, a 10-second load lease
   */
  public static CacheOptions defaults() {
    return DEFAULTS;
  }

  /** @return a copy with this time to live, positive */
  public CacheOptions ttl(Duration ttl) {
    return new CacheOptions(ttl, jitter, cacheNulls, staleWhileRevalidate, earlyRefresh, near,
        loadTimeout);
  }

  /** @return a copy with this time to live, e.g. {@code "10m"} or {@code "${property:10m}"} */
  public CacheOptions ttl(String ttl) {
    return ttl(OptionDurations.parse("CacheOptions.ttl", ttl));
  }

  /** @return a copy with this jitter, zero or positive */
  public CacheOptions jitter(Duration jitter) {
    return new CacheOptions(ttl, jitter, cacheNulls, staleWhileRevalidate, earlyRefresh, near,
        loadTimeout);
  }

  /** @return a copy with this jitter, e.g. {@code "30s"}; empty for none */
  public CacheOptions jitter(String jitter) {
    return jitter(OptionDurations.parse("CacheOptions.jitter", jitter));
  }

  /** @return a copy that caches {@code null} or not */
  public CacheOptions cacheNulls(boolean cache) {
    return new CacheOptions(ttl, jitter, cache, staleWhileRevalidate, earlyRefresh, near, loadTimeout);
  }

  /** @return a copy with this stale window, zero or positive */
  public CacheOptions staleWhileRevalidate(Duration window) {
    return new CacheOptions(ttl, jitter, cacheNulls, window, earlyRefresh, near, loadTimeout);
  }

  /** @return a copy with this stale window, e.g. {@code "1m"}; empty for none */
  public CacheOptions staleWhileRevalidate(String window) {
    return staleWhileRevalidate(
        OptionDurations.parse("CacheOptions.staleWhileRevalidate", window));
  }

  /** @return a copy with early refresh on or off */
  public CacheOptions earlyRefresh(boolean on) {
    return new CacheOptions(ttl, jitter, cacheNulls, staleWhileRevalidate, on, near, loadTimeout);
  }

  /** @return a copy with the local tier on or off */
  public CacheOptions near(boolean on) {
    return new CacheOptions(ttl, jitter, cacheNulls, staleWhileRevalidate, earlyRefresh, on, loadTimeout);
  }

  /** @return a copy with this load lease, positive */
  public CacheOptions loadTimeout(Duration lease) {
    return new CacheOptions(ttl, jitter, cacheNulls, staleWhileRevalidate, earlyRefresh, near,
        lease);
  }

  /** @return a copy with this load lease, e.g. {@code "5s"} */
  public CacheOptions loadTimeout(String lease) {
    return loadTimeout(OptionDurations.parse("CacheOptions.loadTimeout", lease));
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
