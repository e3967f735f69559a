package dev.weft.internal;

import dev.weft.Weft;
import dev.weft.internal.redis.RedisGateway;
import java.util.function.Function;

/**
 * Lets Weft's internals reach a runtime's Redis gateway without making it public API on
 * {@link Weft}. {@code Weft} installs the accessor in its static initializer.
 */
public final class WeftAccess {

  private static volatile Function<Weft, RedisGateway> gateway;

  private WeftAccess() {}

  /** @param accessor reads a runtime's gateway; installed once by {@link Weft} */
  public static void install(Function<Weft, RedisGateway> accessor) {
    gateway = accessor;
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
