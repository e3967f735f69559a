package dev.weft.bloom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Sizing from n and p, and the messages of invalid options. */
class BloomOptionsTest {

  @Test
  void thousandItemsAtOnePercent_has9586BitsAnd7Hashes() {
    BloomOptions options = BloomOptions.defaults().expectedItems(1_000).falsePositiveRate(0.01);

    // m = ceil(-1000 ln 0.01 / (ln 2)^2) = ceil(9585.06); k = round(9.586 ln 2) = round(6.64)
    assertThat(options.bits()).isEqualTo(9_586);
    assertThat(options.hashes()).isEqualTo(7);
  }

  @Test
  void millionItemsAtOnePerMille_has14377588BitsAnd10Hashes() {
    BloomOptions options = BloomOptions.defaults().expectedItems(1_000_000).falsePositiveRate(
        0.001);

    assertThat(options.bits()).isEqualTo(14_377_588);
    assertThat(options.hashes()).isEqualTo(10);
  }

  @Test
  void invalidValues_areRejectedWithWhatIsRight() {
    assertThatThrownBy(() -> BloomOptions.defaults().expectedItems(0).falsePositiveRate(0.01))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expectedItems must be at least 1");
    assertThatThrownBy(() -> BloomOptions.defaults().expectedItems(10).falsePositiveRate(1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("above 0 and below 1");
    assertThatThrownBy(() -> BloomOptions.defaults().expectedItems(10).falsePositiveRate(
        Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("above 0 and below 1");
    assertThatThrownBy(() -> BloomOptions.defaults().expectedItems(10).falsePositiveRate(
        0.01).expireAfter(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lifetime must be at least 1 ms, or Duration.ZERO");
    assertThatThrownBy(() -> BloomOptions.defaults().expectedItems(
        1_000_000_000_000L).falsePositiveRate(0.01))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than a Redis bitmap holds");
  }
}
