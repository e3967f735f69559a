package dev.weft.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches the method's result in Redis (cache-aside): the first call with a given key runs the
 * method and stores its result as JSON with a time to live; later calls with the same key return
 * the stored value without running the method.
 *
 * <pre>{@code
 * @Cached(key = "user:{id}", ttl = "10m")
 * public User find(long id) { ... }
 * }</pre>
 *
 * <p>The value is serialized as JSON typed by the method's declared (generic) return type, so
 * {@code List<Order>} or {@code Map<String, Price>} round-trip without type hints in the payload.
 *
 * <p>Weaving: compile-time or load-time weaving with {@code weft-aspectj}, or the
 * {@code -javaagent} {@code weft-agent.jar}. Without one of them this annotation does nothing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Cached {

  /**
   * The Redis key, as a template. {@code {name}} is a parameter by name, {@code {0}} a parameter by
   * position, {@code {order.customer.id}} a property path through getters, record components or
   * public fields. Braces are escaped by doubling: {@code {{} and {@code }}}.
   *
   * <p>Empty (the default) means "the declaring class, the method name and all its arguments".
   *
   * @return the key template, never {@code null}
   */
  String key() default "";

  /**
   * How long an entry lives: {@code "500ms"}, {@code "30s"}, {@code "10m"}, {@code "1h"},
   * {@code "1d"}, or ISO-8601 such as {@code "PT10M"}. Must be positive.
   *
   * <p>May name a configuration property with a default, {@code "${weft.ttl.users:10m}"}: the
   * property is read from system properties, then from the environment (upper-cased, dots as
   * underscores: {@code WEFT_TTL_USERS}), when the method is first called.
   *
   * @return the time to live, never {@code null}
   */
  String ttl() default "10m";

  /**
   * Spreads expiry: each entry lives {@link #ttl()} plus a random extra between zero and this
   * duration, so entries written together do not all expire together. Empty (the default) means
   * no jitter.
   *
   * @return the jitter as a duration string, or empty
   */
  String jitter() default "";

  /**
   * Tags for the entry, as templates like {@link #key()} (for example
   * {@code "category:{product.categoryId}"}). {@link Invalidate#tags()} removes every entry that
   * carries a tag.
   *
   * @return the tag templates, never {@code null}, possibly empty
   */
  String[] tags() default {};

  /**
   * Whether a {@code null} result (or an empty {@code Optional}) is cached. When false, such a
   * result is returned but not stored, and the next call runs the method again.
   *
   * @return whether absent results are cached; default {@code true}
   */
  boolean cacheNulls() default true;

  /**
   * Serves an entry for this long after its {@link #ttl()} has passed, while exactly one caller
   * (across all processes) refreshes it in the background. Empty (the default) means an expired
   * entry is a miss.
   *
   * @return the stale window as a duration string, or empty
   */
  String staleWhileRevalidate() default "";

  /**
   * Probabilistic early refresh (XFetch, Vattani et al., VLDB 2015): a caller may refresh an entry
   * shortly before it expires, with a probability that rises as expiry nears and with how long the
   * method takes, so a hot entry is usually refreshed before anyone misses.
   *
   * @return whether early refresh is on; default {@code false}
   */
  boolean earlyRefresh() default false;

  /**
   * Adds a bounded local tier (in the process's memory) in front of Redis. A write or
   * invalidation of the entry by any process removes every process's local copy within
   * milliseconds.
   *
   * @return whether the local tier is on; default {@code false}
   */
  boolean near() default false;

  /**
   * How long one caller may load a missing entry while every other caller of the same key, in any
   * process, waits for its result instead of running the method too (stampede protection). A
   * loader that crashes or hangs blocks the key for at most this long.
   *
   * @return the load lease as a duration string, positive; default {@code "10s"}
   */
  String loadTimeout() default "10s";

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
}
