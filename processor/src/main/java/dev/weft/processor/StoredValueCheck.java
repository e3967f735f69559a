package dev.weft.processor;

import java.util.Optional;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/*
 * Annotations that store a value
 *
 * @Cached, @WriteThrough and @CachedBulk each write the method's result to the cache, through the
 * same store in weft-core, so three rules are the same for all of them and are checked here once:
 *
 *   a value      the method returns something; void or Void leaves nothing to store
 *   cacheable    what is stored can be read back by a later caller (Uncacheable): the value type
 *                for @Cached and @WriteThrough, each value of the returned map for @CachedBulk
 *   how long     ttl is a positive duration and jitter empty or positive (DurationCheck), read by
 *                weft-core's Durations alike for the three
 *
 * What differs is the advice: what the annotation does with the value ("nothing to cache",
 * "nothing to write") and what to do instead depend on what the annotation is for, so each check
 * passes its own words. @Invalidate stores nothing and checks none of this.
 */

/** The checks common to the annotations that store a value; see the block comment above. */
final class StoredValueCheck {

  private final DurationCheck durations;
  private final Uncacheable uncacheable;
  private final Elements elements;

  StoredValueCheck(DurationCheck durations, Uncacheable uncacheable, Elements elements) {
    this.durations = durations;
    this.uncacheable = uncacheable;
    this.elements = elements;
  }

  /**
   * Checks that the method returns a value, and that the value can be cached.
   *
   * @param site the annotation and its method, not {@code null}
   * @param verb what the annotation does with the value, such as {@code "cache"}
   * @param instead what to do when the method is not meant to return anything
   * @return the value type (see {@link WovenMethod#valueType}), or {@code null} when the method
   *     returns nothing (reported)
   */
  TypeMirror value(AnnotationSite site, String verb, String instead) {
    if (!returnsValue(site, verb, instead)) {
      return null;
    }
    TypeMirror returnType = site.method().getReturnType();
    TypeMirror valueType = WovenMethod.valueType(returnType, elements);
    reportUncacheable(site, uncacheable.problem(returnType, valueType));
    return valueType;
  }

  /**
   * Reports a method that returns {@code void} or {@code Void}.
   *
   * @param site the annotation and its method, not {@code null}
   * @param verb what the annotation does with the value, such as {@code "cache"}
   * @param instead what to do when the method is not meant to return anything
   * @return whether the method returns a value
   */
  boolean returnsValue(AnnotationSite site, String verb, String instead) {
    TypeMirror returnType = site.method().getReturnType();
    if (!WovenMethod.returnsNothing(returnType)) {
      return true;
    }
    site.error(
        site.subject()
            + " has nothing to "
            + verb
            + " (it returns "
            + Describe.type(returnType)
            + "); "
            + instead);
    return false;
  }

  /**
   * Checks that each value of the map a {@code @CachedBulk} method returns can be cached.
   *
   * @param site the annotation and its method, not {@code null}
   * @param mapType the method's return type, a {@code Map} or a subtype, not {@code null}
   * @param valueType the map's value type, not {@code null}
   */
  void mapValue(AnnotationSite site, TypeMirror mapType, TypeMirror valueType) {
    reportUncacheable(site, uncacheable.problemOfMapValue(mapType, valueType));
  }

  /**
   * Checks {@code ttl} (required) and {@code jitter} (empty for none).
   *
   * @param site the annotation and its method, not {@code null}
   */
  void ttlAndJitter(AnnotationSite site) {
    durations.check(site, "ttl", false);
    durations.check(site, "jitter", true);
  }

  private static void reportUncacheable(AnnotationSite site, Optional<String> problem) {
    problem.ifPresent(p -> site.error(site.subject() + " cannot be cached: " + p));
  }
}
