package dev.weft.internal.cache;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;

/**
 * Background refreshes of one cached method's entries: of a stale entry (stale-while-revalidate),
 * and of a fresh one refreshed early by XFetch (Vattani, Chierichetti, Lowenstein, "Optimal
 * Probabilistic Cache Stampede Prevention", VLDB 2015). See {@link CacheAside}, Staleness: one
 * caller takes the key's load lock and the method runs again on a refresh thread, through the
 * method's {@link CacheAside.Reloader}; its result is stored only over the stale value it read.
 */
final class Refreshes {

  private final String method;
  private final CacheAside.Settings settings;
  private final ResultShape shape;
  private final Loads loads;
  private final Logger log;

  Refreshes(
      String method, CacheAside.Settings settings, ResultShape shape, Loads loads, Logger log) {
    this.method = method;
    this.settings = settings;
    this.shape = shape;
    this.loads = loads;
    this.log = log;
  }

  /**
   * XFetch's decision: refresh when {@code -delta * ln(U) >= remaining}, where delta is how long
   * the method recently took to load and U is uniform in (0, 1].
   *
   * @param freshMillis how long the entry stays fresh
   * @return whether this caller refreshes it now
   */
  boolean early(long freshMillis) {
    double deltaMillis = loads.recentLoadNanos() / 1e6;
    if (deltaMillis <= 0) {
      return false;
    }
    double u = ThreadLocalRandom.current().nextDouble();
    return -deltaMillis * Math.log(u) >= freshMillis;
  }

  /**
   * Starts a refresh of {@code key} on a refresh thread, unless another caller holds its load lock.
   *
   * @param stale the entry's bytes as read: the refresh stores only over them
   */
  void start(
      CacheRuntime runtime, String key, byte[] stale, Object target, Object[] args,
      CacheAside.Reloader reload) {
    String token = UUID.randomUUID().toString();
    if (!EntryStore.tryLock(runtime.redis(), key, token, settings.loadTimeout().toMillis())) {
      return;
    }
    CacheAside.Call call = new CacheAside.Call(false, null, key, args, token, null, null, stale);
    runtime.refreshInBackground(
        () -> {
          try {
            Object result = reload.reload(target, args);
            if (shape.future() && result instanceof CompletableFuture<?> f) {
              result = f.join();
            }
            loads.loaded(runtime, call, result);
          } catch (Exception | Error e) {
            if (e instanceof CacheAside.RefreshSkipped) {
              log.debug("{}: background refresh of '{}' skipped ({}); the stale value stays",
                  method, key, e.getMessage());
            } else if (e instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
              log.debug("{}: background refresh of '{}' interrupted (shutting down)", method, key);
            } else {
              log.warn("{}: background refresh of '{}' failed; the stale value stays", method, key, e);
            }
            loads.failed(runtime, call, e);
          }
        });
  }
}
