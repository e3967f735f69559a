package dev.weft.internal.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * What a runtime's builder sets for each of its gateways (its own and each Redlock master's)
 * beyond connections: how long the circuit breaker stays open, and where the gateway's meters,
 * and the meters of everything built on it (caches, locks, retries), are registered.
 *
 * @param breakerOpenWait how long the breaker stays open before one call may try Redis again,
 *     positive
 * @param meterRegistry the runtime's Micrometer {@code MeterRegistry}, or {@code null} for
 *     Micrometer's global registry; typed {@code Object} so that this class loads without
 *     Micrometer (only the metrics classes' Micrometer-only parts cast it)
 */
public record GatewaySettings(Duration breakerOpenWait, Object meterRegistry) {

  /** A one-second open breaker and the global registry. */
  public static final GatewaySettings DEFAULTS =
      new GatewaySettings(dev.weft.Weft.DEFAULT_BREAKER_OPEN_WAIT, null);

  /** Checks the wait. */
  public GatewaySettings {
    Objects.requireNonNull(breakerOpenWait, "breakerOpenWait");
    if (breakerOpenWait.isZero() || breakerOpenWait.isNegative()) {
      throw new IllegalArgumentException("breakerOpenWait must be positive, was " + breakerOpenWait);
    }
  }
}
