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
   * @return the time to live, never {@code null}
   */
  String ttl() default "10m";
}
