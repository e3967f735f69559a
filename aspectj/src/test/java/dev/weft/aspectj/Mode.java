package dev.weft.aspectj;

import org.junit.jupiter.api.Assumptions;

/**
 * How the behaviour suite's methods get Weft's behaviour in this JVM. Woven (the default) covers
 * compile-time weaving, load-time weaving and the agent: the annotated fixtures are called as they
 * are. Programmatic ({@code -Dweft.suite.mode=programmatic}, in a JVM with no weaving) calls each
 * fixture's programmatic twin instead, which does the same with {@code WeftCache}, {@code
 * RateLimiter}, {@code WeftLock} and {@code Counter}, so the same assertions check the programmatic API.
 * Proxy ({@code -Dweft.suite.mode=proxy}, in a JVM with no weaving and the Spring Boot starter on
 * the class path) calls each unwoven fixture through a Spring AOP class-based proxy carrying the
 * starter's advisor, as a Spring application's beans are called ({@link #fixture}).
 *
 * <p>A few assertions are about the annotation layer alone (a message naming the annotated
 * method, a key derived from the method, a configuration error found at the first call) and are
 * made only when {@link #annotated()}. A few need the method's own body woven, which a proxy,
 * standing outside the object, is not: those say so with {@link #assumeNotProxied}.
 */
public final class Mode {

  private static final String MODE = System.getProperty("weft.suite.mode", "woven");
  private static final boolean PROGRAMMATIC = "programmatic".equals(MODE);
  private static final boolean PROXY = "proxy".equals(MODE);

  /** Builds the proxies, with Spring: compiled only where the starter is (weft-agent's tests). */
  private static final String PROXIES = "dev.weft.aspectj.SpringProxies";

  private Mode() {}

  /** @return whether the fixtures' programmatic twins stand in for the annotated methods */
  public static boolean programmatic() {
    return PROGRAMMATIC;
  }

  /** @return whether the annotated fixtures are called through Spring AOP proxies */
  public static boolean proxy() {
    return PROXY;
  }

  /**
   * For an assertion that a message names the annotated method: the text when annotated methods
   * are called; in programmatic mode the message is the programmatic API's and names no method,
   * so the empty string (which every message contains).
   *
   * @param text what an annotated method's message contains
   * @return {@code text}, or {@code ""} in programmatic mode
   */
  public static String annotationOnly(String text) {
    return PROGRAMMATIC ? "" : text;
  }

  /**
   * @return whether annotated methods are called: woven by ajc, AspectJ LTW or the agent, or
   *     through the starter's proxies
   */
  public static boolean annotated() {
    return !PROGRAMMATIC;
  }

  /**
   * Skips the rest of a test in proxy mode: what it checks happens where a proxy cannot see it.
   *
   * @param what what a proxy does not intercept, e.g. "a call the fixture makes on itself"
   */
  public static void assumeNotProxied(String what) {
    Assumptions.assumeFalse(PROXY, () -> "a Spring proxy does not intercept " + what);
  }

  /**
   * A fixture for this JVM's mode: in proxy mode a Spring AOP class-based proxy of {@code
   * unwoven} with the starter's advisor, whose fields are the fixture's own (the tests read its
   * counters: each field they read or set is a final reference to an object both share); else
   * {@code unwoven} itself.
   *
   * @param unwoven the fixture, compiled by javac and not woven in proxy mode
   * @param <T> its type
   * @return what the test calls
   */
  @SuppressWarnings("unchecked")
  public static <T> T fixture(T unwoven) {
    if (!PROXY) {
      return unwoven;
    }
    try {
      return (T) Class.forName(PROXIES).getMethod("proxy", Object.class).invoke(null, unwoven);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("proxy mode needs " + PROXIES + " and Spring", e);
    }
  }
}
