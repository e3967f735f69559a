package dev.weft.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits how often the method runs, across every process sharing the Redis: at most
 * {@link #permits()} calls per {@link #window()} for each value of {@link #key()}. Repeatable: a
 * method may carry "10 per second" and "1000 per hour"; a call passes only if every limit allows
 * it, and a call denied by one consumes nothing from the others (all are decided in one atomic
 * step in Redis, on Redis's clock).
 *
 * <pre>{@code
 * @RateLimited(key = "api:{userId}", permits = 10, window = "1s")
 * @RateLimited(key = "api:{userId}", permits = 1000, window = "1h")
 * public Quote quote(String userId, String symbol) { ... }
 * }</pre>
 *
 * <p>When a limit is reached the call throws {@link dev.weft.exception.RateLimitExceededException},
 * which says how long to wait ({@link OnLimit#THROW}, the default), or waits up to {@link
 * #maxWait()} for a permit ({@link OnLimit#WAIT}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(RateLimited.List.class)
public @interface RateLimited {

  /**
   * Whose calls are counted together, a template as in {@link Cached#key()} (for example
   * {@code "api:{userId}"}). Empty (the default) means one limit for the method, shared by all
   * callers. When a method carries several limits, they must all have the same key.
   *
   * @return the key template, never {@code null}
   */
  String key() default "";

  /**
   * How many calls a window allows, a positive number; for {@link RateLimitAlgorithm#TOKEN_BUCKET}
   * and {@link RateLimitAlgorithm#GCRA} also the largest burst.
   *
   * @return the permits per window
   */
  long permits();

  /**
   * The window, a duration string ({@code "1s"}, {@code "1m"}, {@code "1h"}, ISO {@code "PT1H"},
   * or {@code "${property:default}"}).
   *
   * @return the window, never {@code null} or empty
   */
  String window();

  /**
   * How calls are counted; the default {@link RateLimitAlgorithm#GCRA} spaces calls evenly,
   * allows a burst of {@link #permits()}, and keeps one number of state per key.
   *
   * @return the algorithm
   */
  RateLimitAlgorithm algorithm() default RateLimitAlgorithm.GCRA;

  /**
   * What a call that finds the limit reached does.
   *
   * @return the policy; default {@link OnLimit#THROW}
   */
  OnLimit onLimit() default OnLimit.THROW;

  /**
   * With {@link OnLimit#WAIT}: how long a call may wait for a permit before it throws. Ignored
   * (and an error for the processor) with {@link OnLimit#THROW}.
   *
   * @return the longest wait as a duration string, or empty
   */
  String maxWait() default "";

  /**
   * What a call does when Redis cannot decide (unreachable, too slow, circuit open).
   *
   * @return the policy; default {@link OnRedisFailure#ALLOW}
   */
  OnRedisFailure onRedisFailure() default OnRedisFailure.ALLOW;

  /**
   * The name of the runtime this method uses, as given to {@code Weft.builder().name(...)}, such
   * as {@code "billing"}: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}. Empty (the
   * default): the global runtime, {@code Weft.global()}. All Weft annotations on one method use
   * one runtime; those that leave this empty follow the one that names it, and two different
   * names on one method are an error. The runtime is looked up at every call, so one built after
   * the method's first call, or built again under the same name, is used from then on; a call
   * made while no runtime of that name was ever built throws {@code WeftConfigurationException}
   * before anything runs.
   *
   * @return the runtime's name, or empty for the global runtime; never {@code null}
   */
  String runtime() default "";

  /** What a call that finds the limit reached does. */
  enum OnLimit {
    /** Throw {@link dev.weft.exception.RateLimitExceededException} at once. */
    THROW,
    /** Wait for a permit, at most {@link RateLimited#maxWait()}, then throw. */
    WAIT
  }

  /** What a call does when Redis cannot decide. */
  enum OnRedisFailure {
    /** Let the call run (availability first: a Redis outage does not take the method down). */
    ALLOW,
    /** Refuse the call with {@link dev.weft.exception.RateLimitExceededException} (protection first). */
    DENY
  }

  /** Holds several {@link RateLimited} annotations on one method. */
  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @interface List {
    /** @return the limits, in declaration order */
    RateLimited[] value();
  }
}
