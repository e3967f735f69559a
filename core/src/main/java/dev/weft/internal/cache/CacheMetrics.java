package dev.weft.internal.cache;

import dev.weft.internal.redis.RedisGateway;
import java.util.concurrent.TimeUnit;

/**
 * What one cache reports: hits, misses, loads and their time, stale values served, and Redis
 * errors. Published through the Micrometer registry of the runtime the call used ({@code
 * Weft.Builder.meterRegistry}), else Micrometer's global registry (add your registry with {@code
 * Metrics.addRegistry(registry)}), when Micrometer is on the class path; otherwise nothing is
 * recorded and nothing is required.
 *
 * <p>Meters, each tagged {@code cache=<class>.<method>}:
 *
 * <ul>
 *   <li>{@code weft.cache.gets} (counter), tag {@code result=hit|miss};
 *   <li>{@code weft.cache.loads} (timer), tag {@code outcome=success|failure};
 *   <li>{@code weft.cache.stale} (counter): stale values served while refreshing;
 *   <li>{@code weft.cache.errors} (counter): Redis failures met (the call went through).
 * </ul>
 */
interface CacheMetrics {

  CacheMetrics NONE =
      new CacheMetrics() {
        @Override
        public void hit() {}

        @Override
        public void miss() {}

        @Override
        public void loaded(long nanos, boolean success) {}

        @Override
        public void staleServed() {}

        @Override
        public void error() {}
      };

  void hit();

  void miss();

  void loaded(long nanos, boolean success);

  void staleServed();

  void error();

  /**
   * @param registry the runtime's {@code MeterRegistry}, or {@code null} for the global one
   * @param cache the cache's name
   * @return Micrometer-backed metrics when Micrometer is present, else {@link #NONE}
   */
  static CacheMetrics forCache(Object registry, String cache) {
    return dev.weft.internal.Micrometer.present()
        ? MicrometerCacheMetrics.create(registry, cache)
        : NONE;
  }

  /**
   * The meters of one cache in the registry of the runtime each call uses: a woven method's cache
   * serves whichever runtime its call names, and its meters follow. The last registry's meters
   * are kept; meeting another registry looks its meters up there (Micrometer returns the meters
   * already registered), so alternating runtimes costs a lookup, not a meter.
   */
  final class ByRuntime {
    private final String cache;
    private volatile Bound bound;

    private record Bound(Object registry, CacheMetrics metrics) {}

    /** @param cache the cache's name */
    ByRuntime(String cache) {
      this.cache = cache;
    }

    /**
     * @param redis the gateway of the call's runtime
     * @return the cache's meters in that runtime's registry
     */
    CacheMetrics of(RedisGateway redis) {
      Object registry = redis.meterRegistry();
      Bound b = bound;
      if (b == null || b.registry() != registry) {
        b = new Bound(registry, forCache(registry, cache));
        bound = b;
      }
      return b.metrics();
    }
  }

  /** Micrometer meters; only loaded when Micrometer is on the class path. */
  final class MicrometerCacheMetrics implements CacheMetrics {
    private final io.micrometer.core.instrument.Counter hits;
    private final io.micrometer.core.instrument.Counter misses;
    private final io.micrometer.core.instrument.Timer loads;
    private final io.micrometer.core.instrument.Timer failedLoads;
    private final io.micrometer.core.instrument.Counter stale;
    private final io.micrometer.core.instrument.Counter errors;

    private MicrometerCacheMetrics(io.micrometer.core.instrument.MeterRegistry r, String cache) {
      hits = r.counter("weft.cache.gets", "cache", cache, "result", "hit");
      misses = r.counter("weft.cache.gets", "cache", cache, "result", "miss");
      loads = r.timer("weft.cache.loads", "cache", cache, "outcome", "success");
      failedLoads = r.timer("weft.cache.loads", "cache", cache, "outcome", "failure");
      stale = r.counter("weft.cache.stale", "cache", cache);
      errors = r.counter("weft.cache.errors", "cache", cache);
    }

    static CacheMetrics create(Object registry, String cache) {
      return new MicrometerCacheMetrics(dev.weft.internal.Micrometer.Registries.of(registry), cache);
    }

    @Override
    public void hit() {
      hits.increment();
    }

    @Override
    public void miss() {
      misses.increment();
    }

    @Override
    public void loaded(long nanos, boolean success) {
      (success ? loads : failedLoads).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void staleServed() {
      stale.increment();
    }

    @Override
    public void error() {
      errors.increment();
    }
  }
}
