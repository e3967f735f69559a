package dev.weft.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
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

  @Test
  void positive_propertyReference_readsTheSystemPropertyThenTheEnvironmentThenTheDefault() {
    Map<String, String> env = Map.of("WEFT_TTL_USERS", "2m");
    String text = "${weft.ttl-users:3m}";

    assertThat(Durations.positive(text, name -> name.equals("weft.ttl-users") ? "1m" : null, env))
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(Durations.positive(text, name -> null, env)).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.positive(text, name -> null, Map.of())).isEqualTo(Duration.ofMinutes(3));
    assertThatThrownBy(() -> Durations.positive("${weft.ttl-users}", name -> null, Map.of()))
        .hasMessageContaining("the property 'weft.ttl-users' is not set")
        .hasMessageContaining("environment variable WEFT_TTL_USERS");
  }

  @Test
  void positive_malformedReference_statesTheGrammar() {
    assertThatThrownBy(() -> Durations.positive("ttl-${weft.ttl:10m}", name -> null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"ttl-${weft.ttl:10m}\" is not a property reference")
        .hasMessageContaining("${name} or ${name:default}");
  }
}
