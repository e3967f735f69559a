package dev.weft.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.exception.WeftConfigurationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisTimeoutsTest {

  private static final Duration FALLBACK = Duration.ofSeconds(1);

  @Test
  void nothingConfigured_isTheFallback() {
    assertThat(RedisTimeouts.resolve(Map.of(), null, FALLBACK)).isEqualTo(FALLBACK);
    assertThat(RedisTimeouts.resolve(Map.of(RedisTimeouts.ENV, " "), "", FALLBACK))
        .isEqualTo(FALLBACK);
  }

  @Test
  void environmentVariable_winsOverSystemProperty() {
    assertThat(RedisTimeouts.resolve(Map.of(RedisTimeouts.ENV, "250ms"), "2s", FALLBACK))
        .isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void systemProperty_isReadWithoutEnvironmentVariable() {
    assertThat(RedisTimeouts.resolve(Map.of(), "PT0.5S", FALLBACK))
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void badValue_namesTheSourceAndTheAcceptedForms() {
    assertThatThrownBy(
            () -> RedisTimeouts.resolve(Map.of(RedisTimeouts.ENV, "fast"), null, FALLBACK))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("WEFT_REDIS_TIMEOUT")
        .hasMessageContaining("\"fast\"")
        .hasMessageContaining("500ms");
    assertThatThrownBy(() -> RedisTimeouts.resolve(Map.of(), "0s", FALLBACK))
        .isInstanceOf(WeftConfigurationException.class)
        .hasMessageContaining("weft.redis.timeout")
        .hasMessageContaining("greater than zero");
  }
}
