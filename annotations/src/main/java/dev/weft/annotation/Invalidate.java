package dev.weft.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Removes cache entries when the method runs: by key, by tag, or every key under a namespace.
 * By default only after the method returns normally; with {@link #beforeInvocation()} before it
 * runs, whatever its outcome. Repeatable.
 *
 * <pre>{@code
 * @Invalidate(keys = "product:{sku}", tags = "category:{category}")
 * public void reprice(String sku, String category, long cents) { ... }
 * }</pre>
 *
 * <p>Values from templates are taken literally: a key value of {@code "*"} removes the entry
 * whose key is that character, never everything.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Invalidate.List.class)
public @interface Invalidate {

  /**
   * Keys to remove, as templates (see {@link Cached#key()}); after the call, {@code {result}} is
   * also available.
   *
   * @return the key templates, never {@code null}
   */
  String[] keys() default {};

  /**
   * Tags whose entries are removed, as templates.
   *
   * @return the tag templates, never {@code null}
   */
  String[] tags() default {};

  /**
   * Removes every key that starts with this text (a template too), scanning in batches, never
   * with {@code KEYS}. Empty (the default) means none. For example {@code "product:"}.
   *
   * @return the namespace prefix template, or empty
   */
  String namespace() default "";

  /**
   * Whether to remove before the method runs (and so whatever its outcome) rather than after it
   * returns normally.
   *
   * @return {@code true} to invalidate before the call; default {@code false}
   */
  boolean beforeInvocation() default false;

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

  /** Holds several {@link Invalidate} annotations on one method. */
  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @interface List {
    /** @return the invalidations, in declaration order */
    Invalidate[] value();
  }
}
