package dev.weft.internal.cache;

import dev.weft.internal.plan.Invocation;
import dev.weft.internal.plan.Step;

/**
 * {@code @Cached} as a step of a woven method: the lookup before the body (a hit ends the call),
 * the store after it. A background refresh's re-invocation makes no lookup: the refresh stores
 * what it loads itself ({@link CacheAside}, Staleness).
 */
public final class CacheStep implements Step {

  private final CacheAside cache;
  private final CacheAside.Reloader reloader;

  /**
   * @param cache the method's cache-aside
   * @param reloader re-invokes the method for a background refresh
   */
  public CacheStep(CacheAside cache, CacheAside.Reloader reloader) {
    this.cache = cache;
    this.reloader = reloader;
  }

  /** @return the method's cache-aside */
  public CacheAside cache() {
    return cache;
  }

  /** @return the lookup's outcome, or {@code null} for a background refresh */
  @Override
  public Object before(Invocation call) {
    if (call.refresh()) {
      return null;
    }
    CacheAside.Call lookup = cache.begin(call.cache(), call.target(), call.args(), reloader);
    if (lookup.hit()) {
      call.end(lookup.value());
    }
    return lookup;
  }

  /**
   * Completes a miss: stores the result, or gives the load up if the method threw.
   *
   * @return {@code result}
   */
  @Override
  public Object after(Invocation call, Object state, Object result, Throwable thrown) {
    if (state != null) {
      cache.finish(call.cache(), (CacheAside.Call) state, result, thrown);
    }
    return result;
  }

  @Override
  public boolean keepsState() {
    return true;
  }

  @Override
  public String toString() {
    return "@Cached";
  }
}
