package dev.weft.weaving;

import dev.weft.internal.cache.BulkCache;
import dev.weft.internal.cache.CacheAside;
import dev.weft.internal.lock.Hold;

/**
 * What {@link MethodPlan#enter} learned about one call, handed back to {@link MethodPlan#exit}.
 * When {@link #skip()} is true the method body must not run: the call's result is already known
 * (a cache hit, or a call skipped because its lock is taken) and {@code exit} returns it.
 */
public final class CallScope {

  final Object[] args;
  final CacheAside.Call cache;
  final BulkCache.Call bulk;
  final Hold lock;
  final boolean lockSkipped;
  final Object skipValue;
  // A background refresh's re-invocation: no lookup was made, and it is not counted
  final boolean refresh;

  CallScope(
      Object[] args, CacheAside.Call cache, BulkCache.Call bulk, Hold lock, boolean lockSkipped,
      Object skipValue, boolean refresh) {
    this.args = args;
    this.cache = cache;
    this.bulk = bulk;
    this.lock = lock;
    this.lockSkipped = lockSkipped;
    this.skipValue = skipValue;
    this.refresh = refresh;
  }

  /**
   * @param args the call's arguments, for {@code @Counted}
   * @param value what the skipped call returns
   * @param refresh whether the call is a background refresh's
   * @return the scope of a call skipped because its lock is taken
   */
  static CallScope lockSkipped(Object[] args, Object value, boolean refresh) {
    return new CallScope(args, null, null, null, true, value, refresh);
  }

  /** @return whether the method body must be skipped */
  public boolean skip() {
    return lockSkipped || (cache != null && cache.hit()) || (bulk != null && bulk.hit());
  }

  /**
   * @param original the call's arguments
   * @return the arguments the body must run with: {@code original}, except for a bulk method,
   *     where the collection holds only the ids that missed
   */
  public Object[] args(Object[] original) {
    return bulk != null ? bulk.args() : original;
  }
}
