package dev.weft.spring.boot.actuate;

import dev.weft.Weft;
import dev.weft.spring.boot.WeftAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Weft in Spring Boot Actuator: a {@code weft} health indicator from {@link Weft#health()} (up or
 * down, the circuit breaker's state, the round trip of a {@code PING}, the Redis URL without its
 * password) and a {@code weft} entry of {@code /actuator/info} (the Redis server's version, how
 * Weft reaches it, the key prefix, the runtime's name).
 *
 * <p>Turned off as Boot's own are: {@code management.health.weft.enabled=false}, {@code
 * management.info.weft.enabled=false} (and the {@code management.*.defaults.enabled} settings).
 *
 * <h2>Design</h2>
 *
 * Boot 4 moved health contributors from {@code org.springframework.boot.actuate.health} to {@code
 * org.springframework.boot.health.contributor} (module {@code spring-boot-health}), and the
 * condition that reads {@code management.health.<name>.enabled} with them. So there are two
 * indicators, one per Boot line, each registered by a configuration that names its line's
 * classes only by string until its {@code @ConditionalOnClass} has matched; an annotation whose
 * class is missing is ignored when Spring reads a configuration class's metadata, which is what
 * lets each line's {@code @ConditionalOnEnabledHealthIndicator} sit on its own configuration. Both
 * build their details with {@link WeftHealthDetails}, so the JSON is the same on both lines. The
 * info contributor's interface kept its package, so one class serves both.
 *
 * <p>Down is reported as {@code DOWN} (HTTP 503 from {@code /actuator/health} by default): Weft's
 * calls fail open without Redis, so an application that would rather stay ready while Redis is
 * away leaves {@code weft} out of its readiness group.
 */
@AutoConfiguration(after = WeftAutoConfiguration.class)
@ConditionalOnBean(Weft.class)
public class WeftActuatorAutoConfiguration {

  private static final String BOOT3_HEALTH = "org.springframework.boot.actuate.health.HealthIndicator";
  private static final String BOOT4_HEALTH = "org.springframework.boot.health.contributor.HealthIndicator";

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = BOOT3_HEALTH)
  @ConditionalOnMissingClass(BOOT4_HEALTH)
  @org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator("weft")
  static class Boot3Health {

    @Bean
    @ConditionalOnMissingBean(name = "weftHealthIndicator")
    WeftHealthIndicator weftHealthIndicator(Weft weft) {
      return new WeftHealthIndicator(weft);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = BOOT4_HEALTH)
  @org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator(
      "weft")
  static class Boot4Health {

    @Bean
    @ConditionalOnMissingBean(name = "weftHealthIndicator")
    WeftBoot4HealthIndicator weftHealthIndicator(Weft weft) {
      return new WeftBoot4HealthIndicator(weft);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.info.InfoContributor")
  @org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor("weft")
  static class InfoContribution {

    @Bean
    @ConditionalOnMissingBean(name = "weftInfoContributor")
    WeftInfoContributor weftInfoContributor(Weft weft) {
      return new WeftInfoContributor(weft);
    }
  }
}
