package dev.weft.weaving;

import java.util.function.Function;

/**
 * Where the property references of annotation attributes ({@code @Cached(ttl =
 * "${users.ttl:10m}")}) are looked up first, for an adapter whose framework has its own
 * configuration: the Spring Boot starter installs a lookup backed by Spring's {@code
 * Environment}, so that {@code users.ttl} may come from {@code application.yml}.
 *
 * <p>This is an adapter SPI, not an application API. A reference's name is asked of the installed
 * lookup first; when there is none, or it answers {@code null}, the name is looked up as a system
 * property, then as an environment variable ({@code USERS_TTL}), then the reference's default
 * applies; with none of them the method fails, naming the property and how to set it.
 *
 * <p>References are resolved once: when a woven method's plan is built (at its first call) and
 * when an options object parses a duration ({@code CacheOptions.defaults().ttl("${...}")}). A
 * lookup installed later does not change what was resolved before, so install it at start-up,
 * before the first woven call. One lookup serves the whole process (class loader): installing one
 * replaces the previous one, which is returned so that it can be put back.
 */
public final class AnnotationProperties {

  private static volatile Function<String, String> lookup;

  private AnnotationProperties() {}

  /**
   * Installs {@code lookup} as the first place property references are looked up.
   *
   * <pre>{@code
   * Function<String, String> previous = AnnotationProperties.use(environment::getProperty);
   * ...
   * AnnotationProperties.use(previous);   // at shutdown
   * }</pre>
   *
   * @param lookup maps a property name ({@code "users.ttl"}) to its value, or to {@code null} when
   *     it has none; thread-safe, quick, and without side effects, since it may be called on any
   *     thread that builds a plan; {@code null} removes the installed lookup
   * @return the lookup it replaces, or {@code null} if there was none
   */
  public static Function<String, String> use(Function<String, String> lookup) {
    synchronized (AnnotationProperties.class) {
      Function<String, String> previous = AnnotationProperties.lookup;
      AnnotationProperties.lookup = lookup;
      return previous;
    }
  }

  /** @return the installed lookup, or {@code null} if there is none */
  public static Function<String, String> installed() {
    return lookup;
  }
}
