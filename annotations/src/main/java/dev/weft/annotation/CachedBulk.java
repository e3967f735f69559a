package dev.weft.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches a bulk method per element: the method takes a collection of ids and returns a
 * {@code Map} from id to value. The collection parameter named in the key is split into one
 * entry per element; hits come from one MGET-like round trip, the method is called with only
 * the ids that missed (in a collection of the same kind), and each result is stored under its own
 * key, where single-element {@link Cached} methods with the same key template find it.
 *
 * <pre>{@code
 * @CachedBulk(key = "product:{skus}", ttl = "10m")
 * public Map<String, Product> products(List<String> skus) { ... }
 * }</pre>
 *
 * <p>An id the method leaves out of its map is cached as absent (unless {@link #cacheNulls()} is
 * false) and left out of the returned map. The returned map iterates in the order of the request.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CachedBulk {

  /**
   * The key of one element, a template as in {@link Cached#key()}, in which the collection
   * parameter stands for one of its elements ({@code {skus}}, or a property of it:
   * {@code {ids.value}}). It must name exactly one {@code Collection} parameter.
   *
   * @return the per-element key template, never {@code null} or empty
   */
  String key();

  /**
   * How long each entry lives, as in {@link Cached#ttl()}.
   *
   * @return the time to live, never {@code null}
   */
  String ttl() default "10m";

  /**
   * Random extra lifetime, as in {@link Cached#jitter()}.
   *
   * @return the jitter as a duration string, or empty
   */
  String jitter() default "";

  /**
   * Whether an id the method does not return is cached as absent, so it is not asked for again
   * until the entry expires.
   *
   * @return whether absent ids are cached; default {@code true}
   */
  boolean cacheNulls() default true;

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
