package dev.weft.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Counts the method's calls in a time-bucketed counter in Redis, shared by every process that
 * uses the same Redis: each call adds 1 to the current bucket (a minute, by default) of the
 * series named by {@link #key()}. Repeatable, so one call can be counted under several keys, for
 * example per page and in total:
 *
 * <pre>{@code
 * @Counted(key = "views:{page}")
 * @Counted(key = "views")
 * public Page view(String page) { ... }
 * }</pre>
 *
 * <p>The counts are read back with {@code dev.weft.counter.Counter} of weft-core, under the same
 * {@link #name()} and {@link #granularity()} (and, so that the buckets' expiry agrees, the same
 * retention):
 *
 * <pre>{@code
 * Counter calls = weft.counter(Counted.DEFAULT_NAME, CounterOptions.defaults().granularity(Granularity.MINUTE));
 * long lastHour = calls.total("views:home", now.minus(Duration.ofHours(1)), now);
 * List<CounterBucket> perMinute = calls.series("views:home", from, to);
 * }</pre>
 *
 * <p><b>When a call counts.</b> When it completes, as its caller saw it: a normal return is a
 * success, an exception a failure; a method returning a {@code CompletableFuture} or {@code
 * CompletionStage} counts when the future completes, as a success or a failure by how it
 * completes. Counting comes before every other Weft annotation on the method, so a call answered
 * from {@link Cached @Cached}'s cache counts (a success), and so does one refused by {@link
 * RateLimited @RateLimited} or {@link DistributedLock @DistributedLock} (a failure, with the
 * exception the caller got); {@link #outcome()} chooses which of them a counter sees.
 *
 * <p><b>Never in the way.</b> The increment is sent without waiting for Redis's reply: counting
 * adds no round trip to the call, and a Redis failure (unreachable, slow, circuit breaker open)
 * never fails or delays the call. That call is simply not counted; the failure is logged (at
 * DEBUG for an outage, which Weft's connection reports once; at WARN, at most every 30 s, for
 * anything else) and counted in the Micrometer counter {@code weft.counted.errors}. Counts are
 * therefore exact while Redis answers and a lower bound across an outage.
 *
 * <p>A wrong template or duration is reported by weft-processor at compile time and, without it,
 * throws {@link dev.weft.exception.WeftConfigurationException} at the method's first call, naming
 * the method, the attribute and the fix.
 *
 * <p>Weaving: compile-time or load-time weaving with {@code weft-aspectj}, or the {@code
 * -javaagent} {@code weft-agent.jar}. Without one of them this annotation does nothing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Counted.List.class)
public @interface Counted {

  /** The counter's name when {@link #name()} is not given: {@value}. */
  String DEFAULT_NAME = "calls";

  /**
   * What is counted: the series of the call, as a template like {@link Cached#key()} ({@code
   * {page}} a parameter by name, {@code {0}} by position, {@code {order.customer.id}} a property
   * path). Required and not empty. {@code {result}} is not offered: failed and refused calls,
   * which count too, have no result.
   *
   * <p>The rendered key is the {@code key} argument of {@code Counter.series} and {@code
   * Counter.total}: {@code "views:{page}"} called with {@code "home"} counts under {@code
   * "views:home"}.
   *
   * @return the key template, never {@code null}
   */
  String key();

  /**
   * The counter's name: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}. Every method
   * that counts under one name (and one granularity) shares its series: two methods with the key
   * {@code "views:{page}"} add to the same counts. Pass the same name to {@code weft.counter(...)}
   * to read them. Give a name of your own to keep a method's counts apart from the rest, or to read all
   * of a feature's counts from one {@code Counter}.
   *
   * @return the name; default {@value #DEFAULT_NAME}
   */
  String name() default DEFAULT_NAME;

  /**
   * The length of a bucket, aligned on the epoch and chosen on Redis's clock (see {@code
   * dev.weft.counter.Granularity}, whose constants these mirror).
   *
   * @return the granularity; default {@link Granularity#MINUTE}
   */
  Granularity granularity() default Granularity.MINUTE;

  /**
   * How long a bucket is kept after it ends, a duration string ({@code "1h"}, {@code "7d"}, ISO
   * {@code "P30D"}, or {@code "${property:default}"}), whole seconds and at least {@code "1s"}.
   * Empty (the default) means the granularity's own default: 1 hour for {@link
   * Granularity#SECOND}, 1 day for {@link Granularity#MINUTE}, 7 days for {@link
   * Granularity#HOUR}, 90 days for {@link Granularity#DAY}, as {@code
   * CounterOptions.defaults().granularity(granularity)} has it.
   *
   * <p>Each increment sets its bucket's expiry, so methods and readers that share a series should
   * agree on its retention.
   *
   * @return the retention as a duration string, or empty for the granularity's default
   */
  String retention() default "";

  /**
   * Which calls count: all of them (the default), only those that return normally, or only those
   * that fail. Count successes and failures under two keys to see an error rate:
   *
   * <pre>{@code
   * @Counted(key = "checkout:ok", outcome = Counted.Outcome.SUCCESS)
   * @Counted(key = "checkout:failed", outcome = Counted.Outcome.FAILURE)
   * }</pre>
   *
   * @return the outcomes counted; default {@link Outcome#ALL}
   */
  Outcome outcome() default Outcome.ALL;

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

  /** The length of a counter's buckets; mirrors {@code dev.weft.counter.Granularity}. */
  enum Granularity {
    /** One-second buckets, kept 1 hour by default; for rates. */
    SECOND,
    /** One-minute buckets, kept 1 day by default. */
    MINUTE,
    /** One-hour buckets, kept 7 days by default. */
    HOUR,
    /** One-day buckets from midnight UTC, kept 90 days by default. */
    DAY
  }

  /** Which completed calls a counter counts. */
  enum Outcome {
    /** Every call, whatever its outcome. */
    ALL,
    /**
     * Calls that returned normally (for a future: that completed normally), cache hits and calls
     * skipped by {@code @DistributedLock(onLocked = SKIP)} included.
     */
    SUCCESS,
    /**
     * Calls that threw (for a future: that completed exceptionally), including those refused by
     * {@code @RateLimited} or {@code @DistributedLock} before the method ran.
     */
    FAILURE
  }

  /** Holds several {@link Counted} annotations on one method. */
  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @interface List {
    /** @return the counters, in declaration order */
    Counted[] value();
  }
}
