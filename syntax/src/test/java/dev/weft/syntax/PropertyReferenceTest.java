package dev.weft.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code ${name:default}} grammar that the runtime must accept exactly. */
class PropertyReferenceTest {

  @Test
  void parse_nameAndDefault() {
    assertThat(PropertyReference.parse("${weft.ttl.users:10m}"))
        .isEqualTo(new PropertyReference("weft.ttl.users", "10m"));
    assertThat(PropertyReference.parse(" ${CACHE_TTL-2:PT5M} "))
        .isEqualTo(new PropertyReference("CACHE_TTL-2", "PT5M"));
  }

  @Test
  void parse_withoutDefault_hasNullDefault_andEmptyDefaultIsKept() {
    assertThat(PropertyReference.parse("${weft.ttl}")).isEqualTo(new PropertyReference("weft.ttl", null));
    assertThat(PropertyReference.parse("${weft.ttl:}")).isEqualTo(new PropertyReference("weft.ttl", ""));
  }

  @Test
  void isReference_wheneverTheTextContainsDollarBrace() {
    assertThat(PropertyReference.isReference("  ${x}")).isTrue();
    assertThat(PropertyReference.isReference("${")).isTrue();
    assertThat(PropertyReference.isReference("x${a:1m}")).isTrue();
    assertThat(PropertyReference.isReference("10m")).isFalse();
    assertThat(PropertyReference.isReference("$x")).isFalse();
  }

  @Test
  void environmentName_upperCasesAndTurnsDotsAndDashesIntoUnderscores() {
    assertThat(PropertyReference.parse("${weft.ttl-users.v2:10m}").environmentName())
        .isEqualTo("WEFT_TTL_USERS_V2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"${}", "${:10m}", "${weft ttl:10m}", "${weft.ttl:10m", "${a:${b:1m}}", "${a}x", "x${a:1m}", "${ä:1m}"})
  void parse_rejectsEverythingElse_quotingTheTextAndStatingTheGrammar(String text) {
    assertThatThrownBy(() -> PropertyReference.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + text + "\" is not a property reference")
        .hasMessageContaining("${name} or ${name:default}");
  }
}
