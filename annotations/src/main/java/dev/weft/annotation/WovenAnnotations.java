package dev.weft.annotation;

import java.util.List;

/**
 * The annotations that make a method woven: every method annotation of this package but the
 * listeners ({@link Subscribe}, {@link StreamListener}), which the runtime finds by reflection,
 * with the containers of the repeatable ones ({@code @Invalidate.List} and the like), which the
 * compiler puts in their place when a method repeats one.
 *
 * <p>The one list that every weaver reads: the Weft agent's method matcher and its search of the
 * classes loaded before it, the annotation processor's woven-classes index, and the tests that
 * hold the AspectJ aspects' pointcuts (static text, which cannot read a list) to it. An
 * annotation added here is woven everywhere; one missing here is woven nowhere.
 *
 * <p>The list is a compile-time constant ({@link #BINARY_NAMES}), so that a reader that must not
 * load this class at run time gets it compiled in: the annotation processor runs from its jar
 * alone on {@code -processorpath}, without this artifact. Names, not {@code Class} objects, so
 * that reading the list loads no annotation.
 */
public final class WovenAnnotations {

  /**
   * The woven annotations' binary names, as {@link Class#getName()} gives them (a container is
   * {@code dev.weft.annotation.Invalidate$List}), separated by commas. A constant: compiled into
   * the classes that read it.
   */
  public static final String BINARY_NAMES =
      "dev.weft.annotation.Cached,"
          + "dev.weft.annotation.CachedBulk,"
          + "dev.weft.annotation.WriteThrough,"
          + "dev.weft.annotation.Invalidate,"
          + "dev.weft.annotation.Invalidate$List,"
          + "dev.weft.annotation.RateLimited,"
          + "dev.weft.annotation.RateLimited$List,"
          + "dev.weft.annotation.DistributedLock,"
          + "dev.weft.annotation.Counted,"
          + "dev.weft.annotation.Counted$List";

  private WovenAnnotations() {}

  /**
   * @return the woven annotations' binary names ({@code dev.weft.annotation.Invalidate$List}), in
   *     order, unmodifiable
   */
  public static List<String> binaryNames() {
    return List.of(BINARY_NAMES.split(","));
  }

  /**
   * @return the woven annotations' canonical names, as source code and javac's elements name them
   *     ({@code dev.weft.annotation.Invalidate.List}), in order, unmodifiable
   */
  public static List<String> canonicalNames() {
    return binaryNames().stream().map(name -> name.replace('$', '.')).toList();
  }

  /**
   * @return the woven annotations' type descriptors, as class files name them
   *     ({@code Ldev/weft/annotation/Invalidate$List;}), in order, unmodifiable
   */
  public static List<String> descriptors() {
    return binaryNames().stream().map(name -> "L" + name.replace('.', '/') + ";").toList();
  }
}
