package dev.weft.spring.boot.actuate;

import dev.weft.Weft;
import dev.weft.WeftHealth;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** The {@code weft} health indicator on Spring Boot 3 (see {@link WeftActuatorAutoConfiguration}). */
final class WeftHealthIndicator implements HealthIndicator {

  private final Weft weft;

  WeftHealthIndicator(Weft weft) {
    this.weft = weft;
  }

  @Override
  public Health health() {
    WeftHealth health = weft.health();
    return (health.up() ? Health.up() : Health.down())
        .withDetails(WeftHealthDetails.of(health))
        .build();
  }
}
