package dev.weft.internal.cache;

import java.util.concurrent.TimeUnit;

/**
 * What one cache reports: hits, misses, loads and their time, stale values served, and Redis
 * errors. Published through Micrometer's global registry when Micrometer is on the class path
 * (add your registry with {@code Metrics.addRegistry(registry)}); otherwise nothing is recorded
 * and nothing is required.
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
   * @param cache the cache's name
   * @return Micrometer-backed metrics when Micrometer is present, else {@link #NONE}
   */
  static CacheMetrics forCache(String cache) {
    return dev.weft.internal.Micrometer.present() ? MicrometerCacheMetrics.create(cache) : NONE;
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

    static CacheMetrics create(String cache) {
      return new MicrometerCacheMetrics(io.micrometer.core.instrument.Metrics.globalRegistry, cache);
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
