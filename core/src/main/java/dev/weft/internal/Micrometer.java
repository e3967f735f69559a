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

  /**
   * The registry meters go to; only loaded when Micrometer is on the class path, from the metrics
   * classes' own Micrometer-only parts.
   */
  public static final class Registries {

    private Registries() {}

    /**
     * @param registry a runtime's {@code MeterRegistry}, or {@code null}
     * @return {@code registry}, or Micrometer's global registry when it is {@code null}
     */
    public static io.micrometer.core.instrument.MeterRegistry of(Object registry) {
      return registry != null
          ? (io.micrometer.core.instrument.MeterRegistry) registry
          : io.micrometer.core.instrument.Metrics.globalRegistry;
    }
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
