package dev.weft.internal.counter;

/**
 * What {@code @Counted} reports: the calls it could not count. Published through the Micrometer
 * registry of the runtime the call used ({@code Weft.Builder.meterRegistry}), else Micrometer's
 * global registry, when Micrometer is on the class path; otherwise nothing is recorded.
 *
 * <ul>
 *   <li>{@code weft.counted.errors} (counter), tags {@code method=<class>.<method>(<parameter
 *       types>)} and {@code counter=<name>}: increments not made, because Redis failed, was
 *       unreachable or its circuit breaker was open, or because the key could not be rendered.
 * </ul>
 */
interface CountedMetrics {

  CountedMetrics NONE = () -> {};

  /** Notes one call that was not counted. */
  void error();

  /**
   * @param registry the runtime's {@code MeterRegistry}, or {@code null} for the global one
   * @param method the method as people read it
   * @param counter the counter's name
   * @return Micrometer-backed metrics when Micrometer is present, else {@link #NONE}
   */
  static CountedMetrics create(Object registry, String method, String counter) {
    return dev.weft.internal.Micrometer.present()
        ? Micrometer.create(registry, method, counter)
        : NONE;
  }

  /**
   * Micrometer meters; only loaded when Micrometer is on the class path. Every reference to a
   * Micrometer type stays inside this class, so that verifying {@link CountedMetrics} itself never
   * loads one.
   */
  final class Micrometer implements CountedMetrics {
    private final io.micrometer.core.instrument.Counter errors;

    static CountedMetrics create(Object registry, String method, String counter) {
      return new Micrometer(dev.weft.internal.Micrometer.Registries.of(registry), method, counter);
    }

    private Micrometer(io.micrometer.core.instrument.MeterRegistry r, String method, String counter) {
      errors = r.counter("weft.counted.errors", "method", method, "counter", counter);
    }

    @Override
    public void error() {
      errors.increment();
    }
  }
}
