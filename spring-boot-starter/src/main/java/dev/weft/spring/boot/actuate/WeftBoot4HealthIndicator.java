package dev.weft.spring.boot.actuate;

import dev.weft.Weft;
import dev.weft.WeftHealth;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** The {@code weft} health indicator on Spring Boot 4 (see {@link WeftActuatorAutoConfiguration}). */
final class WeftBoot4HealthIndicator implements HealthIndicator {

  private final Weft weft;

  WeftBoot4HealthIndicator(Weft weft) {
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
