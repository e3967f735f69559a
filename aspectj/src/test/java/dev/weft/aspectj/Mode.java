package dev.weft.aspectj;

/**
 * How the behaviour suite's methods get Weft's behaviour in this JVM. Woven (the default) covers
 * compile-time weaving, load-time weaving and the agent: the annotated fixtures are called as they
 * are. Programmatic ({@code -Dweft.suite.mode=programmatic}, in a JVM with no weaving) calls each
 * fixture's programmatic twin instead, which does the same with {@code WeftCache}, {@code
 * RateLimiter}, {@code WeftLock} and {@code Counter}, so the same assertions check the programmatic API.
 *
 * <p>A few assertions are about the annotation layer alone (a message naming the annotated
 * method, a key derived from the method, a configuration error found at the first call) and are
 * made only when {@link #woven()}.
 */
public final class Mode {

  private static final boolean PROGRAMMATIC =
      "programmatic".equals(System.getProperty("weft.suite.mode"));

  private Mode() {}

  /** @return whether the fixtures' programmatic twins stand in for the annotated methods */
  public static boolean programmatic() {
    return PROGRAMMATIC;
  }

  /**
   * For an assertion that a message names the annotated method: the text when woven; in
   * programmatic mode the message is the programmatic API's and names no method, so the empty
   * string (which every message contains).
   *
   * @param text what a woven call's message contains
   * @return {@code text}, or {@code ""} in programmatic mode
   */
  public static String annotationOnly(String text) {
    return PROGRAMMATIC ? "" : text;
  }

  /** @return whether annotated methods are called, woven by ajc, AspectJ LTW or the agent */
  public static boolean woven() {
    return !PROGRAMMATIC;
  }
}
