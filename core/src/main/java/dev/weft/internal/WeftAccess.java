package dev.weft.internal;

import dev.weft.Weft;
import dev.weft.internal.cache.CacheRuntime;
import dev.weft.internal.lock.LockEngine;
import dev.weft.internal.redis.RedisGateway;
import java.util.function.Function;

/**
 * Lets Weft's internals reach a runtime's Redis gateway without making it public API on
 * {@link Weft}. {@code Weft} installs the accessor in its static initializer.
 */
public final class WeftAccess {

  private static volatile Function<Weft, RedisGateway> gateway;
  private static volatile Function<Weft, CacheRuntime> cache;
  private static volatile Function<Weft, LockEngine> locks;

  private WeftAccess() {}

  /**
   * @param gatewayAccessor reads a runtime's gateway
   * @param cacheAccessor reads a runtime's cache runtime
   * @param locksAccessor reads a runtime's lock engine
   */
  public static void install(
      Function<Weft, RedisGateway> gatewayAccessor, Function<Weft, CacheRuntime> cacheAccessor,
      Function<Weft, LockEngine> locksAccessor) {
    gateway = gatewayAccessor;
    cache = cacheAccessor;
    locks = locksAccessor;
  }

  /**
   * @param weft a runtime, not {@code null}
   * @return its lock engine
   */
  public static LockEngine locks(Weft weft) {
    return locks.apply(weft);
  }

  /**
   * @param weft a runtime, not {@code null}
   * @return its cache runtime
   */
  public static CacheRuntime cache(Weft weft) {
    return cache.apply(weft);
  }

  /**
   * @param weft a runtime, not {@code null}
   * @return its gateway
   */
  public static RedisGateway redis(Weft weft) {
    // An instance exists, so Weft's static initializer has run and installed the accessor.
    return gateway.apply(weft);
  }
}
