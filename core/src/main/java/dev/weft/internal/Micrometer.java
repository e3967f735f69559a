package dev.weft.internal;

/**
 * Whether Micrometer, an optional dependency, is on the class path. Metrics classes check this
 * before touching any Micrometer type, and keep every such reference in a nested class that is
 * loaded only when it is present.
 */
public final class Micrometer {

  private static final boolean PRESENT = probe();

  private Micrometer() {}

  /** @return whether Micrometer's core is on the class path of weft-core */
  public static boolean present() {
    return PRESENT;
  }

  private static boolean probe() {
    try {
      Class.forName("io.micrometer.core.instrument.Metrics", false, Micrometer.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
