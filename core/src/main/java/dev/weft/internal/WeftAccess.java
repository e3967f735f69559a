package dev.weft.internal;

import dev.weft.Weft;
import dev.weft.internal.cache.CacheRuntime;
import dev.weft.internal.lock.LockEngine;
import dev.weft.internal.redis.RedisGateway;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Lets Weft's internals reach a runtime's Redis gateway, cache runtime and lock engine without
 * making them public API on {@link Weft}.
 *
 * <h2>Design</h2>
 *
 * <p>{@code Weft} keeps its parts in private fields and hands them out only through a private
 * static method, {@code Weft.internals()}. This class looks that method up once, when it is first
 * used, through a private lookup in {@code Weft}, which the JVM grants only to code of weft-core's
 * own module (in the unnamed module, to code that could read the fields by reflection anyway).
 * Nothing installs the accessor, so no application can replace it: an earlier design let {@code
 * Weft} push its accessor into a public {@code install} method here, which any code could call as
 * well. The lookup costs one reflective call per JVM; every access after it is a plain interface
 * call on a constant.
 */
public final class WeftAccess {

  private static final Internals INTERNALS = lookUp();

  private WeftAccess() {}

  /** What a runtime hands to Weft's internals; implemented by {@code Weft} alone. */
  public interface Internals {

    /**
     * @param weft a runtime, not {@code null}
     * @return its gateway
     */
    RedisGateway redis(Weft weft);

    /**
     * @param weft a runtime, not {@code null}
     * @return its cache runtime
     */
    CacheRuntime cache(Weft weft);

    /**
     * @param weft a runtime, not {@code null}
     * @return its lock engine
     */
    LockEngine locks(Weft weft);
  }

  private static Internals lookUp() {
    try {
      return (Internals)
          MethodHandles.privateLookupIn(Weft.class, MethodHandles.lookup())
              .findStatic(Weft.class, "internals", MethodType.methodType(Internals.class))
              .invoke();
    } catch (Throwable e) {
      throw new IllegalStateException("weft-core cannot reach its own runtime's internals", e);
    }
  }

  /**
   * @param weft a runtime, not {@code null}
   * @return its lock engine
   */
  public static LockEngine locks(Weft weft) {
    return INTERNALS.locks(weft);
  }

  /**
   * @param weft a runtime, not {@code null}
   * @return its cache runtime
   */
  public static CacheRuntime cache(Weft weft) {
    return INTERNALS.cache(weft);
  }

  /**
   * @param weft a runtime, not {@code null}
   * @return its gateway
   */
  public static RedisGateway redis(Weft weft) {
    return INTERNALS.redis(weft);
  }
}
