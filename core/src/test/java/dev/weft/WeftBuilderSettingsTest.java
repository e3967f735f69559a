package dev.weft;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder refuses near cache sizes and breaker waits that make no sense, saying why. */
class WeftBuilderSettingsTest {

  @Test
  void nearCacheSize_zeroOrNegative_isRefusedWithTheValue() {
    assertThatThrownBy(() -> Weft.builder().nearCacheSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nearCacheSize must be positive")
        .hasMessageContaining("was 0");
    assertThatThrownBy(() -> Weft.builder().nearCacheSize(-5))
        .hasMessageContaining("was -5");
  }

  @Test
  void breakerOpenWait_zeroNegativeOrOverAnHour_isRefusedWithTheValue() {
    assertThatThrownBy(() -> Weft.builder().breakerOpenWait(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("breakerOpenWait must be positive and at most 1h")
        .hasMessageContaining("was PT0S");
    assertThatThrownBy(() -> Weft.builder().breakerOpenWait(Duration.ofMillis(-1)))
        .hasMessageContaining("was PT-0.001S");
    assertThatThrownBy(() -> Weft.builder().breakerOpenWait(Duration.ofHours(2)))
        .hasMessageContaining("was PT2H");
    assertThatThrownBy(() -> Weft.builder().breakerOpenWait(null))
        .isInstanceOf(NullPointerException.class);
  }
}
