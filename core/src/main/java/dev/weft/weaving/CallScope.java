package dev.weft.weaving;

/**
 * What {@link MethodPlan#enter} learned about one call, handed back to {@link MethodPlan#exit}.
 * When {@link #skip()} is true the method body must not run: the call's result is already known
 * (a cache hit) and {@code exit} returns it.
 */
public final class CallScope {

  static final CallScope PASS = new CallScope(false, null, null);

  private final boolean skip;
  private final Object value;
  final String cacheKey;

  CallScope(boolean skip, Object value, String cacheKey) {
    this.skip = skip;
    this.value = value;
    this.cacheKey = cacheKey;
  }

  /** @return whether the method body must be skipped */
  public boolean skip() {
    return skip;
  }

  Object value() {
    return value;
  }
}
