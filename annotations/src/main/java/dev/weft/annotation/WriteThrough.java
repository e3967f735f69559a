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
}
