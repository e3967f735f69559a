package dev.weft.internal.redis;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the gateway reports about Redis. Published through the runtime's Micrometer registry
 * ({@code Weft.Builder.meterRegistry}), else Micrometer's global registry, when Micrometer is on
 * the class path; otherwise nothing is recorded.
 *
 * <ul>
 *   <li>{@code weft.redis.errors} (counter), tags {@code kind} (a {@link FailureKind#tag()}, such
 *       as {@code oom}, {@code noperm}, {@code timeout}, {@code wrongtype}) and {@code server} (the
 *       redacted URL): every failed call, outages and defects alike; calls the open breaker
 *       refused unsent are not counted;
 *   <li>{@code weft.redis.breaker.state} (gauge), tag {@code server}: the circuit breaker's state,
 *       0 closed, 1 half-open (a probe is out), 2 open (calls are refused unsent). One gauge per
 *       server: of two live runtimes on the same URL, it shows the first one's breaker.
 * </ul>
 */
interface RedisMetrics extends AutoCloseable {

  RedisMetrics NONE =
      new RedisMetrics() {
        @Override
        public void failed(FailureKind kind) {}

        @Override
        public void close() {}
      };

  /** Notes one failed call. */
  void failed(FailureKind kind);

  /** Removes the gateway's gauge. */
  @Override
  void close();

  /**
   * @param registry the runtime's {@code MeterRegistry}, or {@code null} for the global one
   * @param server the redacted URL
   * @param state the breaker's state, read when the gauge is
   * @return Micrometer-backed metrics when Micrometer is present, else {@link #NONE}
   */
  static RedisMetrics create(Object registry, String server, Supplier<RedisGateway.State> state) {
    return dev.weft.internal.Micrometer.present()
        ? Micrometer.create(registry, server, state)
        : NONE;
  }

  /**
   * Micrometer meters; only loaded when Micrometer is on the class path. Every reference to a
   * Micrometer type stays inside this class, so that verifying {@link RedisMetrics} itself never
   * loads one.
   */
  final class Micrometer implements RedisMetrics {
    private final io.micrometer.core.instrument.MeterRegistry registry;
    private final Map<FailureKind, io.micrometer.core.instrument.Counter> errors =
        new EnumMap<>(FailureKind.class);
    private final io.micrometer.core.instrument.Gauge breaker;

    static RedisMetrics create(
        Object registry, String server, Supplier<RedisGateway.State> state) {
      return new Micrometer(dev.weft.internal.Micrometer.Registries.of(registry), server, state);
    }

    private Micrometer(
        io.micrometer.core.instrument.MeterRegistry r, String server,
        Supplier<RedisGateway.State> state) {
      registry = r;
      for (FailureKind kind : FailureKind.values()) {
        errors.put(kind, r.counter("weft.redis.errors", "kind", kind.tag(), "server", server));
      }
      breaker =
          io.micrometer.core.instrument.Gauge.builder(
                  "weft.redis.breaker.state", state, s -> value(s.get()))
              .tag("server", server)
              .strongReference(true)
              .description("0 closed, 1 half-open, 2 open")
              .register(r);
    }

    private static double value(RedisGateway.State state) {
      return switch (state) {
        case CLOSED -> 0;
        case HALF_OPEN -> 1;
        case OPEN -> 2;
      };
    }

    @Override
    public void failed(FailureKind kind) {
      errors.get(kind).increment();
    }

    @Override
    public void close() {
      registry.remove(breaker);
    }
  }
}
