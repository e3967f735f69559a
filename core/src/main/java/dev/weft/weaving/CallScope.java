package dev.weft.weaving;

import dev.weft.internal.cache.CacheAside;

/**
 * What {@link MethodPlan#enter} learned about one call, handed back to {@link MethodPlan#exit}.
 * When {@link #skip()} is true the method body must not run: the call's result is already known
 * (a cache hit) and {@code exit} returns it.
 */
public final class CallScope {

  static final CallScope PASS = new CallScope(null, null, null);

  final Object target;
  final Object[] args;
  final CacheAside.Call cache;

  CallScope(Object target, Object[] args, CacheAside.Call cache) {
    this.target = target;
    this.args = args;
    this.cache = cache;
  }

  /** @return whether the method body must be skipped */
  public boolean skip() {
    return cache != null && cache.hit();
  }
}
