package dev.weft.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * After the method returns normally, its result becomes the cached value of an entry (what Spring
 * calls {@code @CachePut}). Readers of that entry through {@link Cached} see the new value at once.
 * Nothing is written when the method throws.
 *
 * <pre>{@code
 * @WriteThrough(key = "product:{product.sku}", ttl = "10m", tags = "category:{product.category}")
 * public Product save(Product product) { ... }
 * }</pre>
 *
 * <p>Templates may also use {@code {result}}, the method's return value, for keys known only after
 * the call (say, a generated id: {@code "product:{result.id}"}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface WriteThrough {

  /**
   * The entry's key, a template as in {@link Cached#key()}, plus {@code {result}}.
   *
   * @return the key template, never {@code null} or empty
   */
  String key();

  /**
   * How long the entry lives, as in {@link Cached#ttl()}.
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
   * Tags for the entry, as in {@link Cached#tags()}, plus {@code {result}}.
   *
   * @return the tag templates, never {@code null}
   */
  String[] tags() default {};

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
