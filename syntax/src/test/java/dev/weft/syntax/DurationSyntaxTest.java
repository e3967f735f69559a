package dev.weft.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationSyntaxTest {

  @ParameterizedTest
  @CsvSource({
    "500ms, PT0.5S",
    "30s, PT30S",
    "10m, PT10M",
    "1h, PT1H",
    "1d, PT24H",
    "PT10M, PT10M",
    "P1D, PT24H",
    "' 5s ', PT5S"
  })
  void parse_acceptedForms(String text, String expected) {
    assertThat(DurationSyntax.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10 minutes", "", "10", "m", "-5s", "1.5s", "10M", "PTX", "5 s"})
  void parse_rejectsOtherForms_andListsTheAcceptedOnes(String text) {
    assertThatThrownBy(() -> DurationSyntax.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + text + "\"")
        .hasMessageContaining("\"500ms\", \"30s\", \"10m\", \"1h\", \"1d\"")
        .hasMessageContaining("PT10M");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "PT0S", "PT-5S"})
  void parsePositive_rejectsZeroAndNegative(String text) {
    assertThatThrownBy(() -> DurationSyntax.parsePositive(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("greater than zero");
  }
}
