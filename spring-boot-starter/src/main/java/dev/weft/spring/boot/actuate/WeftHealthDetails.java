package dev.weft.spring.boot.actuate;

import dev.weft.WeftHealth;
import java.util.LinkedHashMap;
import java.util.Map;

/** The details of the {@code weft} health indicator, the same on both Boot lines. */
final class WeftHealthDetails {

  private WeftHealthDetails() {}

  /**
   * @param health one answer of {@code Weft.health()}
   * @return {@code redis} (the URL, password redacted), {@code circuit}, and {@code roundTripMs}
   *     when Redis answered or {@code problem} when it did not
   */
  static Map<String, Object> of(WeftHealth health) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("redis", health.redis());
    details.put("circuit", health.circuit().name());
    if (health.roundTrip() != null) {
      details.put("roundTripMs", health.roundTrip().toNanos() / 1_000_000.0);
    }
    if (health.problem() != null) {
      details.put("problem", health.problem());
    }
    return details;
  }
}
