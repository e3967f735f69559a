package dev.weft.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void zeroOrMore_acceptsEmptyZeroAndPositive_refusesNegative() {
    assertThat(Durations.zeroOrMore("")).isZero();
    assertThat(Durations.zeroOrMore("0s")).isZero();
    assertThat(Durations.zeroOrMore("PT0S")).isZero();
    assertThat(Durations.zeroOrMore("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Durations.zeroOrMore("${weft.test.unset.wait:0ms}")).isZero();
    assertThatThrownBy(() -> Durations.zeroOrMore("PT-1S"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative");
  }

  @Test
  void optionalAndPositive_stillRefuseZero() {
    assertThat(Durations.optional("")).isZero();
    assertThatThrownBy(() -> Durations.optional("0s")).hasMessageContaining("greater than zero");
    assertThatThrownBy(() -> Durations.positive("0s")).hasMessageContaining("greater than zero");
  }
}
