package dev.weft.internal.redis;

import dev.weft.exception.WeftConfigurationException;
import dev.weft.syntax.DurationSyntax;
import java.time.Duration;
import java.util.Map;

/**
 * Where Weft finds its Redis command timeout and connect timeout when the builder is not given
 * them: the environment variable ({@value #ENV}, {@value #CONNECT_ENV}), else the system property
 * ({@value #PROPERTY}, {@value #CONNECT_PROPERTY}), else the caller's default. The order is the
 * one {@link RedisUrls} uses for the URL. Values are duration strings such as {@code "500ms"} or
 * {@code "PT2S"} (see {@link DurationSyntax}).
 */
public final class RedisTimeouts {

  /** The environment variable that sets the command timeout. */
  public static final String ENV = "WEFT_REDIS_TIMEOUT";

  /** The system property that sets the command timeout. */
  public static final String PROPERTY = "weft.redis.timeout";

  /** The environment variable that sets the connect timeout. */
  public static final String CONNECT_ENV = "WEFT_REDIS_CONNECT_TIMEOUT";

  /** The system property that sets the connect timeout. */
  public static final String CONNECT_PROPERTY = "weft.redis.connect-timeout";

  private RedisTimeouts() {}

  /**
   * Resolves the configured timeout.
   *
   * @param env the environment, usually {@link System#getenv()}, not {@code null}
   * @param property the value of {@value #PROPERTY}, or {@code null}
   * @param fallback what to use when neither is set, not {@code null}
   * @return a positive timeout, never {@code null}
   * @throws WeftConfigurationException if the value found is not a positive duration; the message
   *     names the variable or property and the accepted forms
   */
  public static Duration resolve(Map<String, String> env, String property, Duration fallback) {
    return resolve(env.get(ENV), ENV, property, PROPERTY, "command timeout", fallback);
  }

  /**
   * Resolves the configured connect timeout.
   *
   * @param env the environment, usually {@link System#getenv()}, not {@code null}
   * @param property the value of {@value #CONNECT_PROPERTY}, or {@code null}
   * @param fallback what to use when neither is set, not {@code null}
   * @return a positive timeout, never {@code null}
   * @throws WeftConfigurationException if the value found is not a positive duration; the message
   *     names the variable or property and the accepted forms
   */
  public static Duration resolveConnect(
      Map<String, String> env, String property, Duration fallback) {
    return resolve(
        env.get(CONNECT_ENV), CONNECT_ENV, property, CONNECT_PROPERTY, "connect timeout", fallback);
  }

  /**
   * @param fallback what to use when nothing is configured, not {@code null}
   * @return the connect timeout configured for this process, or {@code fallback}
   * @throws WeftConfigurationException if the configured value is not a positive duration
   */
  public static Duration connectFromEnvironment(Duration fallback) {
    return resolveConnect(System.getenv(), System.getProperty(CONNECT_PROPERTY), fallback);
  }

  private static Duration resolve(
      String fromEnv, String envName, String property, String propertyName, String what,
      Duration fallback) {
    if (fromEnv != null && !fromEnv.isBlank()) {
      return parse(envName, what, fromEnv);
    }
    if (property != null && !property.isBlank()) {
      return parse(propertyName, what, property);
    }
    return fallback;
  }

  /**
   * @param fallback what to use when nothing is configured, not {@code null}
   * @return the timeout configured for this process, or {@code fallback}
   * @throws WeftConfigurationException if the configured value is not a positive duration
   */
  public static Duration fromEnvironment(Duration fallback) {
    return resolve(System.getenv(), System.getProperty(PROPERTY), fallback);
  }

  private static Duration parse(String source, String what, String value) {
    try {
      return DurationSyntax.parsePositive(value);
    } catch (IllegalArgumentException e) {
      throw new WeftConfigurationException(
          source + " sets the Redis " + what + ", but " + e.getMessage(), e);
    }
  }
}
