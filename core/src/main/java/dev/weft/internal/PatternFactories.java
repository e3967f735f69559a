package dev.weft.internal;

import dev.weft.Weft;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How {@link Weft} creates the patterns of the {@code dev.weft.*} packages, whose constructors
 * are not public: each pattern class registers one factory here from its static initializer, and
 * {@code Weft}'s factory methods ({@code weft.counter(...)}, {@code weft.queue(...)}, ...) look it
 * up, initialising the class first if need be.
 *
 * <p>A factory is accepted only from the pattern class itself (its lambda, method reference or
 * nested class), and only once, so no other code can put its own factory in a pattern's place.
 */
public final class PatternFactories {

  /**
   * Creates one kind of pattern from the arguments of {@code Weft}'s typed factory method.
   *
   * @param <P> the pattern's type
   */
  @FunctionalInterface
  public interface Factory<P> {
    /**
     * @param weft the runtime the pattern uses, not {@code null}
     * @param a the first argument of the {@code Weft} method, or {@code null}
     * @param b the second, or {@code null}
     * @param c the third, or {@code null}
     * @param d the fourth, or {@code null}
     * @return the pattern, never {@code null}
     */
    P create(Weft weft, Object a, Object b, Object c, Object d);
  }

  private static final Map<Class<?>, Factory<?>> FACTORIES = new ConcurrentHashMap<>();

  private PatternFactories() {}

  /**
   * @param pattern the pattern class, registering from its static initializer
   * @param factory creates it; declared in {@code pattern} (a lambda or nested class)
   * @param <P> the pattern's type
   * @throws IllegalStateException if the factory is not {@code pattern}'s own, or one is already
   *     registered
   */
  public static <P> void register(Class<P> pattern, Factory<? extends P> factory) {
    if (factory.getClass().getNestHost() != pattern) {
      throw new IllegalStateException("only " + pattern.getName() + " registers its factory");
    }
    if (FACTORIES.putIfAbsent(pattern, factory) != null) {
      throw new IllegalStateException(pattern.getName() + " already has its factory");
    }
  }

  /**
   * @param pattern the pattern class
   * @param weft the runtime, not {@code null}
   * @param a the first argument, or {@code null}
   * @param b the second, or {@code null}
   * @param c the third, or {@code null}
   * @param d the fourth, or {@code null}
   * @param <P> the pattern's type
   * @return what {@code pattern}'s factory creates
   */
  public static <P> P create(
      Class<P> pattern, Weft weft, Object a, Object b, Object c, Object d) {
    Objects.requireNonNull(weft, "weft");
    Factory<?> factory = FACTORIES.get(pattern);
    if (factory == null) {
      initialize(pattern);
      factory = FACTORIES.get(pattern);
    }
    return pattern.cast(factory.create(weft, a, b, c, d));
  }

  private static void initialize(Class<?> pattern) {
    try {
      Class.forName(pattern.getName(), true, pattern.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
